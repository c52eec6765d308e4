using System.Globalization;
using System.Text;
using Keel.Audit;
using Keel.Model;
using Keel.Redaction;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Writes what is inside a run: its events (redacted, then chained: <c>prev_hash</c>, <c>hash</c>), the decision and
/// finding rows copied from them, and its failures. The caller owns the run row and the transaction.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class RunContentWriter : IDisposable
{
    private static readonly object s_true = 1L;
    private static readonly object s_false = 0L;

    private readonly Redactor? _redactor;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _insertDecision;
    private readonly RawStatement _insertFinding;
    private readonly RawStatement _insertFailure;
    private readonly RawStatement[] _all;
    private readonly Dictionary<string, string> _toolNamesByCallId = new(StringComparer.Ordinal);
    private readonly StringBuilder _sequences = new();

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    /// <param name="connection">The store's connection.</param>
    /// <param name="redactor">Applied to every event payload and free-text column before it is written; <see langword="null"/> for none.</param>
    public RunContentWriter(SqliteConnection connection, Redactor? redactor)
    {
        _redactor = redactor;

        // Every statement starts with (workspace_id, run id) as $p0, $p1, bound once per run.
        _insertEvent = RawStatement.Insert(connection, "events", "workspace_id", "run_id", "seq", "kind", "ts", "payload_json", "prev_hash", "hash");
        _insertDecision = RawStatement.Insert(
            connection, "decisions", "workspace_id", "run_id", "seq", "call_id", "tool_name", "kind", "stage", "rule_id",
            "policy_version", "reason");
        _insertFinding = RawStatement.Insert(
            connection, "findings", "workspace_id", "run_id", "seq", "type", "severity", "message", "event_seqs_json", "monitor");
        _insertFailure = RawStatement.Insert(
            connection, "failures", "workspace_id", "run_id", "ordinal", "class", "disposition", "message", "event_seq",
            "tool_name", "rule_id", "retry_count", "handoff_target", "narrower_permissions");
        _all = [_insertEvent, _insertDecision, _insertFinding, _insertFailure];
    }

    /// <summary>The redactor applied before writing, or <see langword="null"/>.</summary>
    public Redactor? Redactor => _redactor;

    /// <summary>Writes the run's sealed events (<see cref="SealedRun"/>: redacted, serialized and chained in Core) with their
    /// decision and finding rows, and its failures from ordinal <paramref name="fromFailure"/> + 1 on.</summary>
    /// <param name="run">The run.</param>
    /// <param name="sealedRun">The events to write, sealed onto the stored head; <see cref="SealedRun.ThrowIfFailed"/> was checked.</param>
    /// <param name="fromFailure">The number of failures already stored.</param>
    /// <returns>The run's new head hash.</returns>
    /// <exception cref="SqliteException">A row was refused; the caller rolls back.</exception>
    public string Write(Run run, SealedRun sealedRun, int fromFailure)
    {
        foreach (var statement in _all)
        {
            statement[0].Value = run.WorkspaceId;
            statement[1].Value = run.Id;
        }

        var events = run.Events;
        var from = sealedRun.From;
        _toolNamesByCallId.Clear();
        for (var i = 0; i < from; i++)
        {
            if (events[i] is ToolCallEvent earlier)
            {
                _toolNamesByCallId[earlier.Call.Id] = earlier.Call.ToolName;
            }
        }

        var head = sealedRun.PreviousHash;
        for (var i = from; i < events.Count; i++)
        {
            var hash = sealedRun.Hashes[i - from];
            WriteEvent(events[i], head, sealedRun.Payloads[i - from], hash);
            head = hash;
        }

        var failures = run.Failures;
        for (var i = fromFailure; i < failures.Count; i++)
        {
            WriteFailure(i + 1, failures[i]);
        }

        return sealedRun.Head;
    }

    /// <summary>A free-text value as it is written: redacted.</summary>
    public string Redact(string text) => _redactor is null ? text : _redactor.Redact(text);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }
    }

    private void WriteEvent(RunEvent runEvent, string previousHash, string payload, string hash)
    {
        var seq = PreparedStatement.Box(runEvent.Sequence);
        _insertEvent[2].Value = seq;
        _insertEvent[3].Value = RunEventJson.KindName(runEvent.Kind);
        _insertEvent[4].Value = SqliteTime.ToUtcText(runEvent.Timestamp);
        _insertEvent[5].Value = payload;
        _insertEvent[6].Value = previousHash;
        _insertEvent[7].Value = hash;
        _insertEvent.Execute();

        switch (runEvent)
        {
            case ToolCallEvent toolCall:
                _toolNamesByCallId[toolCall.Call.Id] = toolCall.Call.ToolName;
                break;
            case DecisionEvent decision:
                WriteDecision(seq, decision);
                break;
            case FindingEvent finding:
                WriteFinding(seq, finding.Finding);
                break;
        }
    }

    private void WriteDecision(object seq, DecisionEvent decisionEvent)
    {
        var decision = decisionEvent.Decision;
        _insertDecision[2].Value = seq;
        _insertDecision[3].Value = decisionEvent.CallId;
        _insertDecision[4].Value = _toolNamesByCallId.TryGetValue(decisionEvent.CallId, out var toolName) ? toolName : DBNull.Value;
        _insertDecision[5].Value = RunEventJson.EnumName(decision.Kind);
        _insertDecision[6].Value = decision.Stage;
        _insertDecision[7].Value = PreparedStatement.OrNull(decision.RuleId);
        _insertDecision[8].Value = PreparedStatement.OrNull(decision.PolicyVersion);
        _insertDecision[9].Value = Redact(decision.Reason);
        _insertDecision.Execute();
    }

    private void WriteFinding(object seq, Finding finding)
    {
        _sequences.Clear().Append('[');
        for (var i = 0; i < finding.EventSequences.Count; i++)
        {
            if (i > 0)
            {
                _sequences.Append(',');
            }

            _sequences.Append(CultureInfo.InvariantCulture, $"{finding.EventSequences[i]}");
        }

        _insertFinding[2].Value = seq;
        _insertFinding[3].Value = finding.Type;
        _insertFinding[4].Value = RunEventJson.EnumName(finding.Severity);
        _insertFinding[5].Value = Redact(finding.Message);
        _insertFinding[6].Value = _sequences.Append(']').ToString();
        _insertFinding[7].Value = finding.Monitor;
        _insertFinding.Execute();
    }

    private void WriteFailure(int ordinal, Failure failure)
    {
        _insertFailure[2].Value = PreparedStatement.Box(ordinal);
        _insertFailure[3].Value = RunEventJson.EnumName(failure.Class);
        _insertFailure[4].Value = RunEventJson.EnumName(failure.Disposition);
        _insertFailure[5].Value = Redact(failure.Message);
        _insertFailure[6].Value = failure.EventSequence is { } eventSeq ? PreparedStatement.Box(eventSeq) : DBNull.Value;
        _insertFailure[7].Value = PreparedStatement.OrNull(failure.ToolName);
        _insertFailure[8].Value = PreparedStatement.OrNull(failure.RuleId);
        _insertFailure[9].Value = PreparedStatement.Box(failure.RetryCount);
        _insertFailure[10].Value = PreparedStatement.OrNull(failure.HandoffTarget);
        _insertFailure[11].Value = failure.ImpliesNarrowerPermissions ? s_true : s_false;
        _insertFailure.Execute();
    }
}
