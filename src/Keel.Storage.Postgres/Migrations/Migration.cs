using Npgsql;

namespace Keel.Storage.Postgres.Migrations;

/// <summary>One numbered step of the PostgreSQL store's schema. Applied once, in version order, inside the transaction that records
/// it in <c>schema_migrations</c> (PostgreSQL's DDL is transactional); never edited after release (add a new migration instead).</summary>
internal abstract class Migration
{
    /// <summary>1-based, gap-free version; the order in which migrations apply.</summary>
    public abstract int Version { get; }

    /// <summary>Short snake_case name recorded beside the version, e.g. <c>runs</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The statements of the step.</summary>
    protected abstract string Sql { get; }

    /// <summary>Changes the schema inside <paramref name="transaction"/>; throwing rolls back every pending migration.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The migration transaction.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>A task that completes when the step ran.</returns>
    public virtual async Task UpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
