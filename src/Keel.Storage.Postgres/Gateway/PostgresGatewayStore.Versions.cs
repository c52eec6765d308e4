using Keel.Model;
using Keel.Versions;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    private const string VersionColumns = "agent, hash, label, model, state, share_percent, created_at, created_by, note, released_at";

    /// <inheritdoc />
    /// <remarks>Holds the workspace's version lock (<see cref="LockKeys.Versions"/>) until it commits.</remarks>
    public async Task<(VersionRecord Record, bool Created)> RegisterVersionAsync(string workspaceId, AgentVersion agent, BundleContent content, string actor, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(content);
        return await InTransactionAsync(async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, [LockKeys.Versions(workspaceId)]);

            // Read under the lock: the history's times then follow its sequence.
            var now = _time.GetUtcNow();
            if ((await ReadVersionsAsync(connection, transaction, workspaceId, "hash = @key", content.Hash)).FirstOrDefault() is { } existing)
            {
                return (existing, false);
            }

            foreach (var file in content.Files)
            {
                await Sql.ExecuteAsync(connection, transaction, "INSERT INTO version_blobs (workspace_id, sha256, bytes) VALUES (@ws, @sha, @bytes) ON CONFLICT DO NOTHING",
                    ("ws", workspaceId), ("sha", file.Sha256), ("bytes", file.Bytes.ToArray()));
                await Sql.ExecuteAsync(connection, transaction, "INSERT INTO agent_version_files (workspace_id, hash, path, sha256) VALUES (@ws, @hash, @path, @sha)",
                    ("ws", workspaceId), ("hash", content.Hash), ("path", file.Path), ("sha", file.Sha256));
            }

            var (record, entry) = VersionLifecycle.Register(agent, content, actor, note, now);
            await WriteVersionAsync(connection, transaction, workspaceId, record, insert: true);
            await AppendHistoryAsync(connection, transaction, workspaceId, entry);
            return (record, true);
        }, $"version {content.Hash} was not registered", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<VersionRecord?> GetVersionAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        await InTransactionAsync(async (connection, transaction) => (await ReadVersionsAsync(connection, transaction, workspaceId, "hash = @key", hash)).FirstOrDefault(),
            $"version {hash} could not be read", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string workspaceId, string? agent, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) => (IReadOnlyList<VersionRecord>)await ReadVersionsAsync(connection, transaction, workspaceId, agent is null ? null : "agent = @key", agent),
            "the versions could not be listed", cancellationToken);

    /// <inheritdoc />
    public Task<BundleContent?> GetVersionContentAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, """
                SELECT f.path, b.bytes FROM agent_version_files f JOIN version_blobs b ON b.workspace_id = f.workspace_id AND b.sha256 = f.sha256
                WHERE f.workspace_id = @ws AND f.hash = @hash ORDER BY f.path
                """, ("ws", workspaceId), ("hash", hash));
            await using var reader = await command.ExecuteReaderAsync();
            var files = new List<BundleFile>();
            while (await reader.ReadAsync())
            {
                files.Add(new BundleFile(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
            }

            return files.Count == 0 ? null : new BundleContent(files);
        }, $"the files of version {hash} could not be read", cancellationToken);

    /// <inheritdoc />
    /// <remarks>Holds the workspace's version lock (<see cref="LockKeys.Versions"/>) from the read of the agent's versions to the commit.</remarks>
    public Task<VersionOutcome> ApplyVersionActionAsync(string workspaceId, VersionAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, [LockKeys.Versions(workspaceId)]);
            var outcome = VersionLifecycle.Plan(await ReadVersionsAsync(connection, transaction, workspaceId, "agent = @key", action.Agent),
                VersionLifecycle.NeedsHistory(action) ? await ReadHistoryAsync(connection, transaction, workspaceId, last: false, action.Agent) : [],
                action, _time.GetUtcNow());
            if (!outcome.Succeeded)
            {
                return outcome;
            }

            foreach (var record in outcome.Changed)
            {
                await WriteVersionAsync(connection, transaction, workspaceId, record, insert: false);
            }

            return outcome with { Event = await AppendHistoryAsync(connection, transaction, workspaceId, outcome.Event!) };
        }, $"the {VersionLifecycle.Name(action.Kind)} of agent '{action.Agent}' was not applied", cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionEvent>> ListVersionHistoryAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) => (IReadOnlyList<VersionEvent>)await ReadHistoryAsync(connection, transaction, workspaceId, last: false),
            "the version history could not be read", cancellationToken);

    private static async Task<List<VersionRecord>> ReadVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string? filter, string? key)
    {
        await using var command = Sql.Command(connection, transaction,
            $"SELECT {VersionColumns} FROM agent_versions WHERE workspace_id = @ws{(filter is null ? "" : " AND " + filter)} ORDER BY agent, created_at, hash",
            ("ws", workspaceId), ("key", key));
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<VersionRecord>();
        while (await reader.ReadAsync())
        {
            list.Add(new VersionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), VersionRecord.ParseState(reader.GetString(4)),
                (int?)Sql.Int(reader, 5), PostgresTime.FromUtcText(reader.GetString(6)), reader.GetString(7), Sql.Text(reader, 8),
                Sql.Text(reader, 9) is { } released ? PostgresTime.FromUtcText(released) : null));
        }

        return list;
    }

    private static Task<int> WriteVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, VersionRecord record, bool insert) =>
        Sql.ExecuteAsync(connection, transaction, insert
            ? $"INSERT INTO agent_versions (workspace_id, {VersionColumns}) VALUES (@ws, @agent, @hash, @label, @model, @state, @share, @created, @by, @note, @released)"
            : "UPDATE agent_versions SET state = @state, share_percent = @share, released_at = @released WHERE workspace_id = @ws AND hash = @hash",
            ("ws", workspaceId), ("agent", record.Agent), ("hash", record.Hash), ("label", record.Label), ("model", record.Model),
            ("state", VersionRecord.StateName(record.State)), ("share", (long?)record.SharePercent), ("created", PostgresTime.ToUtcText(record.CreatedAt)),
            ("by", record.CreatedBy), ("note", record.Note), ("released", record.ReleasedAt is { } at ? PostgresTime.ToUtcText(at) : null));

    private static async Task<VersionEvent> AppendHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, VersionEvent change)
    {
        var entry = VersionHistory.Next((await ReadHistoryAsync(connection, transaction, workspaceId, last: true)).FirstOrDefault(), workspaceId, change);
        await Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO version_history (workspace_id, seq, agent, action, version_hash, actor, at, detail, previous_hash, hash)
            VALUES (@ws, @seq, @agent, @action, @version, @actor, @at, @detail, @previous, @hash)
            """, ("ws", workspaceId), ("seq", entry.Sequence), ("agent", entry.Agent), ("action", entry.Action), ("version", entry.VersionHash),
            ("actor", entry.Actor), ("at", PostgresTime.ToUtcText(entry.At)), ("detail", entry.Detail), ("previous", entry.PreviousHash), ("hash", entry.Hash));
        return entry;
    }

    private static async Task<List<VersionEvent>> ReadHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, bool last, string? agent = null)
    {
        await using var command = Sql.Command(connection, transaction, $"""
            SELECT seq, agent, action, version_hash, actor, at, detail, previous_hash, hash FROM version_history
            WHERE workspace_id = @ws{(agent is null ? "" : " AND agent = @agent")} ORDER BY seq {(last ? "DESC LIMIT 1" : "")}
            """, ("ws", workspaceId), ("agent", agent));
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<VersionEvent>();
        while (await reader.ReadAsync())
        {
            list.Add(new VersionEvent(workspaceId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                PostgresTime.FromUtcText(reader.GetString(5)), reader.GetString(6), reader.GetString(7), reader.GetString(8)));
        }

        return list;
    }
}
