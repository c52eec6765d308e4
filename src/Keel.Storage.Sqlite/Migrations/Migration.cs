using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>One numbered step of the store's schema. Applied once, in version order, inside the transaction that
/// records it in <c>schema_migrations</c>; never edited after release (add a new migration instead).</summary>
internal abstract class Migration
{
    /// <summary>1-based, gap-free version; the order in which migrations apply.</summary>
    public abstract int Version { get; }

    /// <summary>Short snake_case name recorded beside the version, e.g. <c>initial</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Changes the schema. Runs inside <paramref name="transaction"/>; throwing rolls back every pending migration.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The migration transaction.</param>
    /// <param name="timeProvider">The store's clock, for a migration that dates rows it writes.</param>
    public abstract void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider);

    /// <summary>Runs SQL text (one or more statements) inside the migration transaction.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The migration transaction.</param>
    /// <param name="sql">The statements.</param>
    protected static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
