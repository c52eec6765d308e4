using System.Globalization;
using System.Text;
using Keel.Model;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Writes the rows of one run (replacing any earlier rows of the same run id) with statements prepared once
/// per connection. The caller owns the transaction and its rollback.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class RunWriter : IDisposable
{
    private static readonly object s_true = 1L;
    private static readonly object s_false = 0L;

    private readonly RawStatement _deleteRun;
    private readonly RawStatement _insertRun;
    private readonly RawStatement _insertEvent;
    private readonly RawStatement _insertDecision;
    private readonly RawStatement _insertFinding;
    private readonly RawStatement _insertFailure;
    private readonly RawStatement[] _all;
    private readonly Dictionary<string, string> _toolNamesByCallId = new(StringComparer.Ordinal);
    private readonly StringBuilder _sequences = new();

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    public RunWriter(SqliteConnection connection)
    {
        // Every statement starts with (workspace_id, run id) as $p0, $p1, bound once per run.
        _deleteRun = RawStatement.Create(connection, "DELETE FROM runs WHERE workspace_id = $p0 AND id = $p1", 2);
        _insertRun = RawStatement.Insert(
            connection, "runs", "workspace_id", "id", "agent_name", "agent_version", "status", "started_at",
            "started_at_offset_minutes", "channel", "workflow_class", "event_count", "handoff_json");
        _insertEvent = RawStatement.Insert(connection, "events", "workspace_id", "run_id", "seq", "kind", "ts", "payload_json");
        _insertDecision = RawStatement.Insert(
            connection, "decisions", "workspace_id", "run_id", "seq", "call_id", "tool_name", "kind", "stage", "rule_id",
            "policy_version", "reason");
        _insertFinding = RawStatement.Insert(
            connection, "findings", "workspace_id", "run_id", "seq", "type", "severity", "message", "event_seqs_json", "monitor");
        _insertFailure = RawStatement.Insert(
            connection, "failures", "workspace_id", "run_id", "ordinal", "class", "disposition", "message", "event_seq",
            "tool_name", "rule_id", "retry_count", "handoff_target", "narrower_permissions");
        _all = [_deleteRun, _insertRun, _insertEvent, _insertDecision, _insertFinding, _insertFailure];
    }

    /// <summary>Deletes earlier rows of the run id in its workspace, then inserts the run, its events, decisions,
    /// findings and failures. On an exception some rows may be written: the caller rolls back.</summary>
    /// <param name="run">The run.</param>
    /// <remarks>The statements run on the connection's native handle, inside the transaction the caller opened on it.</remarks>
    public void Write(Run run)
    {
        foreach (var statement in _all)
        {
            statement[0].Value = run.WorkspaceId;
            statement[1].Value = run.Id;
        }

        _deleteRun.Execute();

        var events = run.Events;
        _insertRun[2].Value = run.AgentName;
        _insertRun[3].Value = run.AgentVersion;
        _insertRun[4].Value = RunEventJson.EnumName(run.Status);
        _insertRun[5].Value = SqliteTime.ToUtcText(run.StartedAt);
        _insertRun[6].Value = PreparedStatement.Box(SqliteTime.OffsetMinutes(run.StartedAt));
        _insertRun[7].Value = run.Channel;
        _insertRun[8].Value = PreparedStatement.OrNull(run.WorkflowClass);
        _insertRun[9].Value = PreparedStatement.Box(events.Count);
        _insertRun[10].Value = run.Handoff is null ? DBNull.Value : RunEventJson.Serialize(run.Handoff);
        _insertRun.Execute();

        _toolNamesByCallId.Clear();
        for (var i = 0; i < events.Count; i++)
        {
            WriteEvent(events[i]);
        }

        var failures = run.Failures;
        for (var i = 0; i < failures.Count; i++)
        {
            WriteFailure(i + 1, failures[i]);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }
    }

    private void WriteEvent(RunEvent runEvent)
    {
        var seq = PreparedStatement.Box(runEvent.Sequence);
        _insertEvent[2].Value = seq;
        _insertEvent[3].Value = RunEventJson.KindName(runEvent.Kind);
        _insertEvent[4].Value = SqliteTime.ToUtcText(runEvent.Timestamp);
        _insertEvent[5].Value = RunEventJson.Serialize(runEvent);
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
        _insertDecision[9].Value = decision.Reason;
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
        _insertFinding[5].Value = finding.Message;
        _insertFinding[6].Value = _sequences.Append(']').ToString();
        _insertFinding[7].Value = finding.Monitor;
        _insertFinding.Execute();
    }

    private void WriteFailure(int ordinal, Failure failure)
    {
        _insertFailure[2].Value = PreparedStatement.Box(ordinal);
        _insertFailure[3].Value = RunEventJson.EnumName(failure.Class);
        _insertFailure[4].Value = RunEventJson.EnumName(failure.Disposition);
        _insertFailure[5].Value = failure.Message;
        _insertFailure[6].Value = failure.EventSequence is { } eventSeq ? PreparedStatement.Box(eventSeq) : DBNull.Value;
        _insertFailure[7].Value = PreparedStatement.OrNull(failure.ToolName);
        _insertFailure[8].Value = PreparedStatement.OrNull(failure.RuleId);
        _insertFailure[9].Value = PreparedStatement.Box(failure.RetryCount);
        _insertFailure[10].Value = PreparedStatement.OrNull(failure.HandoffTarget);
        _insertFailure[11].Value = failure.ImpliesNarrowerPermissions ? s_true : s_false;
        _insertFailure.Execute();
    }
}
