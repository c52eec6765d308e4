using Npgsql;

namespace Keel.Storage.Postgres.Migrations;

/// <summary>Brings a database up to the latest schema: applies the migrations it lacks, in order, in one transaction, and records
/// each in <c>schema_migrations</c> (version, name, applied_at as UTC text).</summary>
/// <remarks>Idempotent: an up-to-date database is left as it is. Instances starting together are serialized by a
/// transaction-scoped advisory lock (<see cref="LockKeys.Migrations"/>) taken before <c>schema_migrations</c> is read: the first
/// applies the migrations, the others wait and then find them recorded.</remarks>
internal static class MigrationRunner
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text    NOT NULL,
            applied_at text    NOT NULL
        );
        """;

    /// <summary>Applies the pending migrations.</summary>
    /// <param name="connection">An open connection outside any transaction.</param>
    /// <param name="migrations">All migrations, versions 1, 2, … in order.</param>
    /// <param name="timeProvider">The clock for <c>applied_at</c>.</param>
    /// <param name="store">The store's name, for messages.</param>
    /// <param name="cancellationToken">Cancels the migration; nothing is applied when cancelled.</param>
    /// <returns>The versions applied now, in order (empty when the database was up to date).</returns>
    /// <exception cref="StoreException">The database has a newer schema than <paramref name="migrations"/> know.</exception>
    /// <exception cref="NpgsqlException">A migration failed; none of the pending ones was applied.</exception>
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        NpgsqlConnection connection, IReadOnlyList<Migration> migrations, TimeProvider timeProvider, string store, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.LockAsync(connection, transaction, [LockKeys.Migrations]);
        await Sql.ExecuteAsync(connection, transaction, CreateTable);
        var applied = new HashSet<int>();
        await using (var command = Sql.Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > latest)
        {
            throw new StoreException(
                $"{store}: the database has schema version {applied.Max()}, newer than the {latest} this Keel knows. Upgrade Keel on every instance, "
                + "or point PostgresStoreOptions.ConnectionString at another database.");
        }

        var now = PostgresTime.ToUtcText(timeProvider.GetUtcNow());
        var appliedNow = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await migration.UpAsync(connection, transaction, cancellationToken);
            await Sql.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)",
                ("v", migration.Version), ("n", migration.Name), ("at", now));
            appliedNow.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return appliedNow;
    }
}
