using Keel.Storage.Conformance;
using Keel.Storage.Postgres.Gateway;
using Npgsql;

namespace Keel.Storage.Postgres.Tests;

/// <summary>A fresh database on the test cluster per test; each instance has pools of its own, as another server process would.</summary>
internal sealed class PostgresBackend(PostgresCluster cluster, string connectionString) : IStoreBackend
{
    public string ConnectionString => connectionString;

    public static async Task<IStoreBackend> CreateAsync(PostgresCluster cluster) => new PostgresBackend(cluster, await cluster.CreateDatabaseAsync());

    public async Task<StoreInstance> OpenAsync(TimeProvider time)
    {
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        return new StoreInstance(await PostgresRunStore.OpenAsync(options, time), new PostgresGatewayStore(options, time), new Otlp.PostgresSpanBuffer(options, time));
    }

    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await cluster.DropDatabaseAsync(connectionString);
}
