using Keel.Audit;
using Keel.Model;
using Keel.Redaction;
using Npgsql;

namespace Keel.Storage.Postgres.Runs;

/// <summary>Writes one run inside the caller's transaction: whole (<see cref="SaveAsync"/>: earlier rows of the run id are replaced)
/// or incrementally (<see cref="AppendAsync"/>: only what is not stored yet), chaining its events and appending the commit to the
/// workspace's audit ledger. The caller owns the transaction and its rollback, and holds the workspace's ledger lock
/// (<see cref="LockKeys.Ledger"/>) from before the first statement.</summary>
/// <remarks>Thread-safe (no state besides its settings).</remarks>
/// <param name="redactor">Applied before anything is written; <see langword="null"/> for none.</param>
/// <param name="timeProvider">The clock for ledger rows.</param>
internal sealed class RunWriter(Redactor? redactor, TimeProvider timeProvider)
{
    private readonly RunContentWriter _content = new(redactor);

    /// <summary>The redactor applied before writing, or <see langword="null"/>.</summary>
    public Redactor? Redactor => redactor;

    /// <summary>Deletes earlier rows of the run id in its workspace, then inserts the run, its chained events, decisions, findings and
    /// failures, and appends a <c>save</c> row to the ledger.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="run">The run.</param>
    /// <param name="prepared">Its events sealed ahead (<see cref="SealedRun"/>).</param>
    /// <returns>A task that completes when written; on an exception the caller rolls back.</returns>
    /// <exception cref="InvalidOperationException">The run could not be serialized (<see cref="SealedRun.ThrowIfFailed"/>).</exception>
    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, SealedRun prepared)
    {
        prepared.ThrowIfFailed();
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM runs WHERE workspace_id = @ws AND id = @id", ("ws", run.WorkspaceId), ("id", run.Id));
        await InsertRunRowAsync(connection, transaction, run, Handoff(run));
        var head = await _content.WriteAsync(connection, transaction, run, prepared, 0);
        await AuditLedgerWriter.AppendAsync(connection, transaction, run.WorkspaceId, run.Id, AuditCommit.Save, 1, run.Events.Count, head, timeProvider.GetUtcNow());
    }

    /// <summary>Writes what the run gained since it was stored: the run row on the first call, then the events after the stored last
    /// one (chained onto the stored head), their decision and finding rows, new failures, and the run's status, event count and
    /// handoff packet; appends an <c>append</c> row to the ledger. The run row is locked (<c>FOR UPDATE</c>) before the head is read.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="run">The live run.</param>
    /// <returns>Whether anything was written (<see langword="false"/> when the stored run is already up to date).</returns>
    /// <exception cref="InvalidOperationException">The stored run has more events or failures than <paramref name="run"/>, or the run
    /// cannot be serialized: an append never removes anything (save the run to replace it).</exception>
    public async Task<bool> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run)
    {
        var stored = await ReadStoredAsync(connection, transaction, run);
        if (stored.Events > run.Events.Count || stored.Failures > run.Failures.Count)
        {
            throw new InvalidOperationException(
                $"the store holds {stored.Events} events and {stored.Failures} failures of the run, more than the {run.Events.Count} and {run.Failures.Count} given; "
                + "an append never removes anything (use SaveRunAsync to replace the run)");
        }

        var handoff = Handoff(run);
        var status = RunEventJson.EnumName(run.Status);
        if (!stored.Exists)
        {
            await InsertRunRowAsync(connection, transaction, run, handoff);
        }
        else if (stored.Events == run.Events.Count && stored.Failures == run.Failures.Count && status == stored.Status && handoff == stored.Handoff)
        {
            return false;
        }
        else
        {
            await Sql.ExecuteAsync(connection, transaction, "UPDATE runs SET status = @status, event_count = @count, handoff_json = @handoff, customer_sentiment = @sentiment, cost_usd = @cost WHERE workspace_id = @ws AND id = @id",
                ("status", status), ("count", run.Events.Count), ("handoff", handoff), ("sentiment", RunListingValues.CustomerSentiment(run)), ("cost", RunListingValues.CostUsd(run)),
                ("ws", run.WorkspaceId), ("id", run.Id));
        }

        var sealedRun = SealedRun.Seal(run, (int)stored.Events, stored.Head, redactor);
        sealedRun.ThrowIfFailed();
        var head = await _content.WriteAsync(connection, transaction, run, sealedRun, stored.Failures);
        await AuditLedgerWriter.AppendAsync(connection, transaction, run.WorkspaceId, run.Id, AuditCommit.Append, stored.Events + 1, run.Events.Count, head, timeProvider.GetUtcNow());
        return true;
    }

    /// <summary>The sequence number of a run's last stored event, read under a lock on its run row.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The last sequence number (0 without events), or <see langword="null"/> when the workspace has no such run.</returns>
    public static async Task<long?> HeadSequenceForUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string runId)
    {
        var value = await Sql.ScalarAsync(connection, transaction, """
            SELECT coalesce((SELECT max(seq) FROM events WHERE workspace_id = @ws AND run_id = @id), 0)
            FROM runs WHERE workspace_id = @ws AND id = @id FOR UPDATE
            """, ("ws", workspaceId), ("id", runId));
        return value is long sequence ? sequence : null;
    }

    private static async Task<StoredRun> ReadStoredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run)
    {
        await using var command = Sql.Command(connection, transaction, """
            SELECT r.status, r.handoff_json, h.seq, h.hash, (SELECT count(*) FROM failures f WHERE f.workspace_id = r.workspace_id AND f.run_id = r.id)
            FROM runs r
            LEFT JOIN LATERAL (SELECT seq, hash FROM events e WHERE e.workspace_id = r.workspace_id AND e.run_id = r.id ORDER BY seq DESC LIMIT 1) h ON true
            WHERE r.workspace_id = @ws AND r.id = @id
            FOR UPDATE OF r
            """, ("ws", run.WorkspaceId), ("id", run.Id));
        await using var reader = await command.ExecuteReaderAsync();
        var genesis = AuditHash.RunGenesis(run.WorkspaceId, run.Id);
        if (!await reader.ReadAsync())
        {
            return new StoredRun(false, null, null, 0, genesis, 0);
        }

        return new StoredRun(true, reader.GetString(0), Sql.Text(reader, 1), Sql.Int(reader, 2) ?? 0, Sql.Text(reader, 3) ?? genesis, (int)reader.GetInt64(4));
    }

    private string? Handoff(Run run) => run.Handoff is null ? null : RunEventJson.Serialize(run.Handoff, redactor);

    private static Task<int> InsertRunRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, string? handoff) =>
        Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO runs (workspace_id, id, agent_name, agent_version, status, started_at, started_at_offset_minutes, channel, workflow_class, event_count, handoff_json,
                              version_hash, version_arm, version_bucket, customer_sentiment, cost_usd)
            VALUES (@ws, @id, @agent, @version, @status, @started, @offset, @channel, @workflow, @count, @handoff, @vhash, @varm, @vbucket, @sentiment, @cost)
            """,
            ("ws", run.WorkspaceId), ("id", run.Id), ("agent", run.AgentName), ("version", run.AgentVersion), ("status", RunEventJson.EnumName(run.Status)),
            ("started", PostgresTime.ToUtcText(run.StartedAt)), ("offset", PostgresTime.OffsetMinutes(run.StartedAt)), ("channel", run.Channel),
            ("workflow", run.WorkflowClass), ("count", run.Events.Count), ("handoff", handoff),
            ("vhash", run.Version?.Hash), ("varm", run.Version?.Arm), ("vbucket", run.Version?.Bucket), ("sentiment", RunListingValues.CustomerSentiment(run)),
            ("cost", RunListingValues.CostUsd(run)));

    /// <summary>What the store holds of a run before an append.</summary>
    private readonly record struct StoredRun(bool Exists, string? Status, string? Handoff, long Events, string Head, int Failures);
}
