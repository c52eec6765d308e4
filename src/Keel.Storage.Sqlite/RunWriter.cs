using Keel.Audit;
using Keel.Model;
using Keel.Redaction;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Writes one run inside the caller's transaction: whole (<see cref="Save"/>: earlier rows of the run id are
/// replaced) or incrementally (<see cref="Append"/>: only what is not stored yet), chaining its events and appending the
/// commit to the workspace's audit ledger. The caller owns the transaction and its rollback.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class RunWriter : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly RunContentWriter _content;
    private readonly AuditLedgerWriter _ledger;
    private readonly RawStatement _deleteRun;
    private readonly RawStatement _insertRun;
    private readonly RawStatement _selectRun;
    private readonly RawStatement _selectHead;
    private readonly RawStatement _countFailures;
    private readonly RawStatement _updateRun;
    private readonly RawStatement[] _byRun;

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    /// <param name="connection">The store's connection.</param>
    /// <param name="redactor">Applied before anything is written; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for ledger rows.</param>
    public RunWriter(SqliteConnection connection, Redactor? redactor, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _content = new RunContentWriter(connection, redactor);
        _ledger = new AuditLedgerWriter(connection);

        // Every statement starts with (workspace_id, run id) as $p0, $p1, bound once per run.
        _deleteRun = RawStatement.Create(connection, "DELETE FROM runs WHERE workspace_id = $p0 AND id = $p1", 2);
        _insertRun = RawStatement.Insert(
            connection, "runs", "workspace_id", "id", "agent_name", "agent_version", "status", "started_at",
            "started_at_offset_minutes", "channel", "workflow_class", "event_count", "handoff_json", "version_hash", "version_arm", "version_bucket", "customer_sentiment", "cost_usd");
        _selectRun = RawStatement.Create(connection, "SELECT status, handoff_json FROM runs WHERE workspace_id = $p0 AND id = $p1", 2);
        _selectHead = RawStatement.Create(
            connection, "SELECT seq, hash FROM events WHERE workspace_id = $p0 AND run_id = $p1 ORDER BY seq DESC LIMIT 1", 2);
        _countFailures = RawStatement.Create(connection, "SELECT count(*) FROM failures WHERE workspace_id = $p0 AND run_id = $p1", 2);
        _updateRun = RawStatement.Create(
            connection, "UPDATE runs SET status = ?3, event_count = ?4, handoff_json = ?5, customer_sentiment = ?6, cost_usd = ?7 WHERE workspace_id = ?1 AND id = ?2", 7); // numbered: bound by position
        _byRun = [_deleteRun, _insertRun, _selectRun, _selectHead, _countFailures, _updateRun];
    }

    /// <summary>Deletes earlier rows of the run id in its workspace, then inserts the run, its chained events, decisions,
    /// findings and failures, and appends a <c>save</c> row to the ledger. On an exception some rows may be written: the caller rolls back.</summary>
    /// <param name="run">The run.</param>
    /// <param name="prepared">Its events prepared ahead (<see cref="SealedRun"/>).</param>
    /// <exception cref="InvalidOperationException">The run could not be serialized (<see cref="SealedRun.ThrowIfFailed"/>).</exception>
    public void Save(Run run, SealedRun prepared)
    {
        prepared.ThrowIfFailed();
        Bind(run);
        _deleteRun.Execute();
        InsertRunRow(run, Handoff(run));
        var head = _content.Write(run, prepared, 0);
        _ledger.Append(run.WorkspaceId, run.Id, AuditCommit.Save, 1, run.Events.Count, head, _timeProvider.GetUtcNow());
    }

    /// <summary>Writes what the run gained since it was stored: the run row on the first call, then the events after the
    /// stored last one (chained onto the stored head), their decision and finding rows, new failures, and the run's status,
    /// event count and handoff packet; appends an <c>append</c> row to the ledger.</summary>
    /// <param name="run">The live run.</param>
    /// <returns>Whether anything was written (<see langword="false"/> when the stored run is already up to date).</returns>
    /// <exception cref="InvalidOperationException">The stored run has more events or failures than <paramref name="run"/>: an
    /// append never removes anything (save the run to replace it).</exception>
    public bool Append(Run run)
    {
        Bind(run);
        var exists = _selectRun.Step();
        var (storedStatus, storedHandoff) = exists ? (_selectRun.Text(0), _selectRun.Text(1)) : (null, null);
        if (exists)
        {
            _selectRun.Reset();
        }

        var (stored, head) = (0L, AuditHash.RunGenesis(run.WorkspaceId, run.Id));
        if (_selectHead.Step())
        {
            (stored, head) = (_selectHead.Int64(0), _selectHead.Text(1) ?? head);
            _selectHead.Reset();
        }

        _countFailures.Step();
        var storedFailures = (int)_countFailures.Int64(0);
        _countFailures.Reset();
        if (stored > run.Events.Count || storedFailures > run.Failures.Count)
        {
            throw new InvalidOperationException(
                $"the store holds {stored} events and {storedFailures} failures of the run, more than the {run.Events.Count} and {run.Failures.Count} given; "
                + "an append never removes anything (use SaveRunAsync to replace the run)");
        }

        var handoff = Handoff(run);
        var status = RunEventJson.EnumName(run.Status);
        if (!exists)
        {
            InsertRunRow(run, handoff);
        }
        else if (stored == run.Events.Count && storedFailures == run.Failures.Count && status == storedStatus && Equals(handoff, storedHandoff ?? (object)DBNull.Value))
        {
            return false;
        }
        else
        {
            _updateRun[2].Value = status;
            _updateRun[3].Value = PreparedStatement.Box(run.Events.Count);
            _updateRun[4].Value = handoff;
            _updateRun[5].Value = Sentiment(run);
            _updateRun[6].Value = Cost(run);
            _updateRun.Execute();
        }

        var sealedRun = SealedRun.Seal(run, (int)stored, head, _content.Redactor);
        sealedRun.ThrowIfFailed();
        head = _content.Write(run, sealedRun, storedFailures);
        _ledger.Append(run.WorkspaceId, run.Id, AuditCommit.Append, stored + 1, run.Events.Count, head, _timeProvider.GetUtcNow());
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _content.Dispose();
        _ledger.Dispose();
        foreach (var statement in _byRun)
        {
            statement.Dispose();
        }
    }

    private void Bind(Run run)
    {
        foreach (var statement in _byRun)
        {
            statement[0].Value = run.WorkspaceId;
            statement[1].Value = run.Id;
        }
    }

    private object Handoff(Run run) => run.Handoff is null ? DBNull.Value : RunEventJson.Serialize(run.Handoff, _content.Redactor);

    /// <summary>The run's customer sentiment for <c>runs.customer_sentiment</c> (<see cref="RunListingValues.CustomerSentiment"/>).</summary>
    private static object Sentiment(Run run) => RunListingValues.CustomerSentiment(run) is { } compound ? compound : DBNull.Value;

    /// <summary>The run's model cost for <c>runs.cost_usd</c> (<see cref="RunListingValues.CostUsd"/>), USD as invariant decimal text.</summary>
    private static string Cost(Run run) => RunListingValues.CostUsd(run).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void InsertRunRow(Run run, object handoff)
    {
        _insertRun[2].Value = run.AgentName;
        _insertRun[3].Value = run.AgentVersion;
        _insertRun[4].Value = RunEventJson.EnumName(run.Status);
        _insertRun[5].Value = SqliteTime.ToUtcText(run.StartedAt);
        _insertRun[6].Value = PreparedStatement.Box(SqliteTime.OffsetMinutes(run.StartedAt));
        _insertRun[7].Value = run.Channel;
        _insertRun[8].Value = PreparedStatement.OrNull(run.WorkflowClass);
        _insertRun[9].Value = PreparedStatement.Box(run.Events.Count);
        _insertRun[10].Value = handoff;
        _insertRun[11].Value = PreparedStatement.OrNull(run.Version?.Hash);
        _insertRun[12].Value = PreparedStatement.OrNull(run.Version?.Arm);
        _insertRun[13].Value = run.Version is { } version ? PreparedStatement.Box(version.Bucket) : DBNull.Value;
        _insertRun[14].Value = Sentiment(run);
        _insertRun[15].Value = Cost(run);
        _insertRun.Execute();
    }
}
