using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Migrations;

/// <summary>Live run ids: <c>live_run_ids</c> holds every id a live run was created under, with its workspace, under a primary
/// key, so two workspaces can never take one run id, whatever the race (<see cref="ILiveRunStore.TryCreateRunAsync"/>).
/// Replayed runs (<c>SaveRunAsync</c>) keep their own ids per workspace and are not listed.</summary>
internal sealed class Migration0004_LiveRunIds : Migration
{
    private const string Sql = """
        CREATE TABLE live_run_ids (
            id           TEXT NOT NULL PRIMARY KEY,
            workspace_id TEXT NOT NULL
        ) STRICT;
        """;

    /// <inheritdoc />
    public override int Version => 4;

    /// <inheritdoc />
    public override string Name => "live_run_ids";

    /// <inheritdoc />
    public override void Up(SqliteConnection connection, SqliteTransaction transaction, TimeProvider timeProvider) => Execute(connection, transaction, Sql);
}
