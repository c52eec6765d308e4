using Keel.Model;
using Keel.Versions;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    private const string VersionColumns = "agent, hash, label, model, state, share_percent, created_at, created_by, note, released_at";

    /// <inheritdoc />
    public Task<(VersionRecord Record, bool Created)> RegisterVersionAsync(string workspaceId, AgentVersion agent, BundleContent content, string actor, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(content);
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            // Read inside the write transaction: the history's times then follow its sequence.
            var now = _time.GetUtcNow();
            if (ReadVersions(connection, transaction, workspaceId, "hash = $key", content.Hash).FirstOrDefault() is { } existing)
            {
                return (existing, false);
            }

            foreach (var file in content.Files)
            {
                Execute(connection, transaction, "INSERT OR IGNORE INTO version_blobs (workspace_id, sha256, bytes) VALUES ($ws, $sha, $bytes)",
                    ("$ws", workspaceId), ("$sha", file.Sha256), ("$bytes", file.Bytes.ToArray()));
                Execute(connection, transaction, "INSERT INTO agent_version_files (workspace_id, hash, path, sha256) VALUES ($ws, $hash, $path, $sha)",
                    ("$ws", workspaceId), ("$hash", content.Hash), ("$path", file.Path), ("$sha", file.Sha256));
            }

            var (record, entry) = VersionLifecycle.Register(agent, content, actor, note, now);
            WriteVersion(connection, transaction, workspaceId, record, insert: true);
            AppendHistory(connection, transaction, workspaceId, entry);
            return (record, true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VersionRecord?> GetVersionAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => ReadVersions(connection, transaction, workspaceId, "hash = $key", hash).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string workspaceId, string? agent, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => (IReadOnlyList<VersionRecord>)ReadVersions(connection, transaction, workspaceId, agent is null ? null : "agent = $key", agent), cancellationToken);

    /// <inheritdoc />
    public Task<BundleContent?> GetVersionContentAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT f.path, b.bytes FROM agent_version_files f JOIN version_blobs b ON b.workspace_id = f.workspace_id AND b.sha256 = f.sha256
                WHERE f.workspace_id = $ws AND f.hash = $hash ORDER BY f.path
                """, ("$ws", workspaceId), ("$hash", hash));
            using var reader = command.ExecuteReader();
            var files = new List<BundleFile>();
            while (reader.Read())
            {
                files.Add(new BundleFile(reader.GetString(0), (byte[])reader.GetValue(1)));
            }

            return files.Count == 0 ? null : new BundleContent(files);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<VersionOutcome> ApplyVersionActionAsync(string workspaceId, VersionAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            var now = _time.GetUtcNow();
            var outcome = VersionLifecycle.Plan(ReadVersions(connection, transaction, workspaceId, "agent = $key", action.Agent),
                VersionLifecycle.NeedsHistory(action) ? ReadHistory(connection, transaction, workspaceId, last: false, action.Agent) : [], action, now);
            if (!outcome.Succeeded)
            {
                return outcome;
            }

            foreach (var record in outcome.Changed)
            {
                WriteVersion(connection, transaction, workspaceId, record, insert: false);
            }

            return outcome with { Event = AppendHistory(connection, transaction, workspaceId, outcome.Event!) };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionEvent>> ListVersionHistoryAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => (IReadOnlyList<VersionEvent>)ReadHistory(connection, transaction, workspaceId, last: false), cancellationToken);

    private static List<VersionRecord> ReadVersions(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string? filter, string? key)
    {
        using var command = Command(connection, transaction,
            $"SELECT {VersionColumns} FROM agent_versions WHERE workspace_id = $ws{(filter is null ? "" : " AND " + filter)} ORDER BY agent, created_at, hash",
            ("$ws", workspaceId), ("$key", key));
        using var reader = command.ExecuteReader();
        var list = new List<VersionRecord>();
        while (reader.Read())
        {
            list.Add(new VersionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), VersionRecord.ParseState(reader.GetString(4)),
                (int?)Int(reader, 5), SqliteTime.FromUtcText(reader.GetString(6), 0), reader.GetString(7), Text(reader, 8),
                Text(reader, 9) is { } released ? SqliteTime.FromUtcText(released, 0) : null));
        }

        return list;
    }

    private static void WriteVersion(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, VersionRecord record, bool insert) =>
        Execute(connection, transaction, insert
            ? $"INSERT INTO agent_versions (workspace_id, {VersionColumns}) VALUES ($ws, $agent, $hash, $label, $model, $state, $share, $created, $by, $note, $released)"
            : "UPDATE agent_versions SET state = $state, share_percent = $share, released_at = $released WHERE workspace_id = $ws AND hash = $hash",
            ("$ws", workspaceId), ("$agent", record.Agent), ("$hash", record.Hash), ("$label", record.Label), ("$model", record.Model),
            ("$state", VersionRecord.StateName(record.State)), ("$share", record.SharePercent), ("$created", SqliteTime.ToUtcText(record.CreatedAt)),
            ("$by", record.CreatedBy), ("$note", record.Note), ("$released", record.ReleasedAt is { } at ? SqliteTime.ToUtcText(at) : null));

    private static VersionEvent AppendHistory(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, VersionEvent change)
    {
        var entry = VersionHistory.Next(ReadHistory(connection, transaction, workspaceId, last: true).FirstOrDefault(), workspaceId, change);
        Execute(connection, transaction, """
            INSERT INTO version_history (workspace_id, seq, agent, action, version_hash, actor, at, detail, previous_hash, hash)
            VALUES ($ws, $seq, $agent, $action, $version, $actor, $at, $detail, $previous, $hash)
            """, ("$ws", workspaceId), ("$seq", entry.Sequence), ("$agent", entry.Agent), ("$action", entry.Action), ("$version", entry.VersionHash),
            ("$actor", entry.Actor), ("$at", SqliteTime.ToUtcText(entry.At)), ("$detail", entry.Detail), ("$previous", entry.PreviousHash), ("$hash", entry.Hash));
        return entry;
    }

    private static List<VersionEvent> ReadHistory(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, bool last, string? agent = null)
    {
        using var command = Command(connection, transaction, $"""
            SELECT seq, agent, action, version_hash, actor, at, detail, previous_hash, hash FROM version_history
            WHERE workspace_id = $ws{(agent is null ? "" : " AND agent = $agent")} ORDER BY seq {(last ? "DESC LIMIT 1" : "")}
            """, ("$ws", workspaceId), ("$agent", agent));
        using var reader = command.ExecuteReader();
        var list = new List<VersionEvent>();
        while (reader.Read())
        {
            list.Add(new VersionEvent(workspaceId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                SqliteTime.FromUtcText(reader.GetString(5), 0), reader.GetString(6), reader.GetString(7), reader.GetString(8)));
        }

        return list;
    }
}
