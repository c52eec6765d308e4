using System.Globalization;
using System.Text;
using Keel.Model;
using Keel.Redaction;
using Npgsql;
using NpgsqlTypes;

namespace Keel.Storage.Postgres.Runs;

/// <summary>Writes what is inside a run — its sealed events (<see cref="SealedRun"/>), the decision and finding rows copied from them,
/// and its failures — with one <c>INSERT … SELECT FROM unnest(…)</c> per table, so a run of any length costs four round trips.
/// The caller owns the run row and the transaction.</summary>
/// <remarks>Thread-safe (no state besides the redactor).</remarks>
/// <param name="redactor">Applied to the free-text columns (decision reasons, finding and failure messages); <see langword="null"/> for none.</param>
internal sealed class RunContentWriter(Redactor? redactor)
{
    private const string InsertEvents = """
        INSERT INTO events (workspace_id, run_id, seq, kind, ts, payload_json, prev_hash, hash)
        SELECT @ws, @run, * FROM unnest(@seq, @kind, @ts, @payload, @prev, @hash)
        """;

    private const string InsertDecisions = """
        INSERT INTO decisions (workspace_id, run_id, seq, call_id, tool_name, kind, stage, rule_id, policy_version, reason)
        SELECT @ws, @run, * FROM unnest(@seq, @call, @tool, @kind, @stage, @rule, @policy, @reason)
        """;

    private const string InsertFindings = """
        INSERT INTO findings (workspace_id, run_id, seq, type, severity, message, event_seqs_json, monitor)
        SELECT @ws, @run, * FROM unnest(@seq, @type, @severity, @message, @seqs, @monitor)
        """;

    private const string InsertFailures = """
        INSERT INTO failures (workspace_id, run_id, ordinal, class, disposition, message, event_seq, tool_name, rule_id, retry_count,
                              handoff_target, narrower_permissions)
        SELECT @ws, @run, * FROM unnest(@ordinal, @class, @disposition, @message, @event, @tool, @rule, @retries, @target, @narrower)
        """;

    /// <summary>The redactor applied before writing, or <see langword="null"/>.</summary>
    public Redactor? Redactor => redactor;

    /// <summary>Writes the run's sealed events with their decision and finding rows, and its failures from ordinal
    /// <paramref name="fromFailure"/> + 1 on.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The caller's transaction.</param>
    /// <param name="run">The run.</param>
    /// <param name="sealedRun">The events to write, sealed onto the stored head; <see cref="SealedRun.ThrowIfFailed"/> was checked.</param>
    /// <param name="fromFailure">The number of failures already stored.</param>
    /// <returns>The run's new head hash.</returns>
    /// <exception cref="NpgsqlException">A row was refused; the caller rolls back.</exception>
    public async Task<string> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, SealedRun sealedRun, int fromFailure)
    {
        var events = run.Events;
        var from = sealedRun.From;
        if (from < events.Count)
        {
            await WriteEventsAsync(connection, transaction, run, sealedRun);
            await WriteDecisionsAsync(connection, transaction, run, from);
            await WriteFindingsAsync(connection, transaction, run, from);
        }

        if (fromFailure < run.Failures.Count)
        {
            await WriteFailuresAsync(connection, transaction, run, fromFailure);
        }

        return sealedRun.Head;
    }

    /// <summary>A free-text value as it is written: redacted.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text to store.</returns>
    public string Redact(string text) => redactor is null ? text : redactor.Redact(text);

    private static async Task WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, SealedRun sealedRun)
    {
        var count = run.Events.Count - sealedRun.From;
        var (seq, kind, ts, prev) = (new long[count], new string[count], new string[count], new string[count]);
        var previous = sealedRun.PreviousHash;
        for (var i = 0; i < count; i++)
        {
            var e = run.Events[sealedRun.From + i];
            (seq[i], kind[i], ts[i], prev[i]) = (e.Sequence, RunEventJson.KindName(e.Kind), PostgresTime.ToUtcText(e.Timestamp), previous);
            previous = sealedRun.Hashes[i];
        }

        await using var command = Rows(connection, transaction, InsertEvents, run);
        Add(command, "seq", NpgsqlDbType.Bigint, seq);
        Add(command, "kind", NpgsqlDbType.Text, kind);
        Add(command, "ts", NpgsqlDbType.Text, ts);
        Add(command, "payload", NpgsqlDbType.Text, sealedRun.Payloads.ToArray());
        Add(command, "prev", NpgsqlDbType.Text, prev);
        Add(command, "hash", NpgsqlDbType.Text, sealedRun.Hashes.ToArray());
        await command.ExecuteNonQueryAsync();
    }

    private async Task WriteDecisionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, int from)
    {
        var (decisions, tools) = Decisions(run.Events, from);
        if (decisions.Count == 0)
        {
            return;
        }

        await using var command = Rows(connection, transaction, InsertDecisions, run);
        Add(command, "seq", NpgsqlDbType.Bigint, decisions.Select(d => d.Sequence).ToArray());
        Add(command, "call", NpgsqlDbType.Text, decisions.Select(d => d.CallId).ToArray());
        Add(command, "tool", NpgsqlDbType.Text, tools.ToArray());
        Add(command, "kind", NpgsqlDbType.Text, decisions.Select(d => RunEventJson.EnumName(d.Decision.Kind)).ToArray());
        Add(command, "stage", NpgsqlDbType.Text, decisions.Select(d => d.Decision.Stage).ToArray());
        Add(command, "rule", NpgsqlDbType.Text, decisions.Select(d => d.Decision.RuleId).ToArray());
        Add(command, "policy", NpgsqlDbType.Text, decisions.Select(d => d.Decision.PolicyVersion).ToArray());
        Add(command, "reason", NpgsqlDbType.Text, decisions.Select(d => Redact(d.Decision.Reason)).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    private async Task WriteFindingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, int from)
    {
        var findings = run.Events.Skip(from).OfType<FindingEvent>().ToList();
        if (findings.Count == 0)
        {
            return;
        }

        await using var command = Rows(connection, transaction, InsertFindings, run);
        Add(command, "seq", NpgsqlDbType.Bigint, findings.Select(f => f.Sequence).ToArray());
        Add(command, "type", NpgsqlDbType.Text, findings.Select(f => f.Finding.Type).ToArray());
        Add(command, "severity", NpgsqlDbType.Text, findings.Select(f => RunEventJson.EnumName(f.Finding.Severity)).ToArray());
        Add(command, "message", NpgsqlDbType.Text, findings.Select(f => Redact(f.Finding.Message)).ToArray());
        Add(command, "seqs", NpgsqlDbType.Text, findings.Select(f => Sequences(f.Finding.EventSequences)).ToArray());
        Add(command, "monitor", NpgsqlDbType.Text, findings.Select(f => f.Finding.Monitor).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    private async Task WriteFailuresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Run run, int fromFailure)
    {
        var failures = run.Failures.Skip(fromFailure).ToList();
        await using var command = Rows(connection, transaction, InsertFailures, run);
        Add(command, "ordinal", NpgsqlDbType.Integer, Enumerable.Range(fromFailure + 1, failures.Count).ToArray());
        Add(command, "class", NpgsqlDbType.Text, failures.Select(f => RunEventJson.EnumName(f.Class)).ToArray());
        Add(command, "disposition", NpgsqlDbType.Text, failures.Select(f => RunEventJson.EnumName(f.Disposition)).ToArray());
        Add(command, "message", NpgsqlDbType.Text, failures.Select(f => Redact(f.Message)).ToArray());
        Add(command, "event", NpgsqlDbType.Bigint, failures.Select(f => f.EventSequence).ToArray());
        Add(command, "tool", NpgsqlDbType.Text, failures.Select(f => f.ToolName).ToArray());
        Add(command, "rule", NpgsqlDbType.Text, failures.Select(f => f.RuleId).ToArray());
        Add(command, "retries", NpgsqlDbType.Integer, failures.Select(f => f.RetryCount).ToArray());
        Add(command, "target", NpgsqlDbType.Text, failures.Select(f => f.HandoffTarget).ToArray());
        Add(command, "narrower", NpgsqlDbType.Boolean, failures.Select(f => f.ImpliesNarrowerPermissions).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The decisions from index <paramref name="from"/> on, each with the tool of the latest call of its call id before it
    /// (a decision names its call, not its tool; <see langword="null"/> when no such call came first).</summary>
    private static (List<DecisionEvent> Decisions, List<string?> Tools) Decisions(IReadOnlyList<RunEvent> events, int from)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var (decisions, tools) = (new List<DecisionEvent>(), new List<string?>());
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case ToolCallEvent call:
                    names[call.Call.Id] = call.Call.ToolName;
                    break;
                case DecisionEvent decision when i >= from:
                    decisions.Add(decision);
                    tools.Add(names.GetValueOrDefault(decision.CallId));
                    break;
            }
        }

        return (decisions, tools);
    }

    private static string Sequences(IReadOnlyList<long> sequences)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < sequences.Count; i++)
        {
            text.Append(i > 0 ? "," : string.Empty).Append(sequences[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    private static NpgsqlCommand Rows(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Run run) =>
        Sql.Command(connection, transaction, sql, ("ws", run.WorkspaceId), ("run", run.Id));

    private static void Add(NpgsqlCommand command, string name, NpgsqlDbType elementType, Array values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });
}
