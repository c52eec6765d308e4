using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>Brings a database up to the latest schema: applies the migrations it lacks, in order, in one
/// <c>BEGIN IMMEDIATE</c> transaction, and records each in <c>schema_migrations</c> (version, name, applied_at in UTC).</summary>
/// <remarks>Idempotent: an up-to-date database is left as it is. Two processes opening the same new file at once are
/// serialized by the write lock; the second finds the migrations recorded and applies none.</remarks>
internal static class MigrationRunner
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT;
        """;

    /// <summary>Applies the pending migrations.</summary>
    /// <param name="connection">An open connection outside any transaction.</param>
    /// <param name="migrations">All migrations, versions 1, 2, … in order.</param>
    /// <param name="timeProvider">The clock for <c>applied_at</c>.</param>
    /// <returns>The versions applied now, in order (empty when the database was up to date).</returns>
    /// <exception cref="StoreException">The database has a newer schema than <paramref name="migrations"/> know.</exception>
    /// <exception cref="SqliteException">A migration failed; none of the pending ones was applied.</exception>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, IReadOnlyList<Migration> migrations, TimeProvider timeProvider)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, CreateTable);
        var applied = AppliedVersions(connection, transaction);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > latest)
        {
            throw new StoreException(
                $"SQLite store '{connection.DataSource}': the database has schema version {applied.Max()}, newer than the {latest} this Keel knows. "
                + "Upgrade Keel, or point SqliteRunStoreOptions.Path at another file.");
        }

        var now = SqliteTime.ToUtcText(timeProvider.GetUtcNow());
        var appliedNow = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            migration.Up(connection, transaction, timeProvider);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $appliedAt)";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.Parameters.AddWithValue("$appliedAt", now);
            record.ExecuteNonQuery();
            appliedNow.Add(migration.Version);
        }

        transaction.Commit();
        return appliedNow;
    }

    private static HashSet<long> AppliedVersions(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_migrations";
        using var reader = command.ExecuteReader();
        var versions = new HashSet<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
