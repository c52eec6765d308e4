using System.Text.RegularExpressions;
using Keel.Failures;
using Keel.Importers;
using Keel.Model;
using Keel.Redaction;
using Keel.Replay;
using Keel.Storage;

namespace Keel.Reports;

/// <summary>Builds a <see cref="ReplayReport"/> from assessed runs. Feed runs with <see cref="Add"/> from one thread.</summary>
public sealed partial class ReportBuilder
{
    /// <summary>Examples kept per list. Value: 25.</summary>
    public const int MaxExamples = 25;

    private readonly IReadOnlyList<AgentVersion> _agents;
    private readonly MetricsAccumulator _all = new();
    private readonly SortedDictionary<string, MetricsAccumulator> _byDomain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Stage, Dictionary<string, int> Kinds, int Unsafe, int Expected)> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Class, string Cause), (int Count, string Example, SortedSet<string> Tools)> _toolErrors = [];
    private readonly Dictionary<(string Class, string Disposition), int> _failures = [];
    private readonly List<CallExample> _unsafeHeld = [];
    private readonly List<CallExample> _unsafeAllowed = [];
    private readonly List<CallExample> _expectedHeld = [];
    private readonly List<FindingExample> _mismatches = [];
    private readonly List<HandoffPacket> _handoffs = [];
    private readonly Dictionary<string, (string Format, int Runs)> _inputs = new(StringComparer.Ordinal);

    /// <summary>Creates a builder for one agent version.</summary>
    /// <param name="agent">The agent version replayed.</param>
    public ReportBuilder(AgentVersion agent)
        : this([agent ?? throw new ArgumentNullException(nameof(agent))])
    {
    }

    /// <summary>Creates a builder for several agent versions (one per domain); the report's <c>agent</c> is the first.</summary>
    /// <param name="agents">The agent versions replayed (at least one).</param>
    /// <exception cref="ArgumentException"><paramref name="agents"/> is empty.</exception>
    public ReportBuilder(IReadOnlyList<AgentVersion> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        _agents = agents.Count > 0 ? agents : throw new ArgumentException("Give at least one agent version.", nameof(agents));
    }

    /// <summary>Applied to every text the report exports (call arguments, reasons, finding messages, tool error examples and
    /// causes, handoff packets, skipped-record messages) before it is kept, so report.json and report.html carry no more than the
    /// store does. <see langword="null"/> keeps the text as recorded.</summary>
    /// <value>The default is <see cref="Redactor.Default"/>, the store's default.</value>
    public Redactor? Redactor { get; init; } = Redactor.Default;

    /// <summary>Registers an input file and its format. Its skipped records are counted from the list given to <see cref="Build"/>.</summary>
    /// <param name="file">The file.</param>
    /// <param name="format">Its format.</param>
    public void AddInput(string file, string format)
    {
        // Inputs are registered after their runs were added; keep the run count, set the real format.
        _inputs[file] = (format, _inputs.GetValueOrDefault(file).Runs);
    }

    /// <summary>Adds an assessed run.</summary>
    /// <param name="assessment">The run.</param>
    public void Add(RunAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var replayed = assessment.Replayed;
        var file = replayed.Recorded.Source.File;
        var input = _inputs.GetValueOrDefault(file, (Format: "unknown", Runs: 0));
        _inputs[file] = (input.Format, input.Runs + 1);
        var attack = AttackAssessment.Assess(replayed);
        _all.Add(assessment, attack);
        var domain = replayed.Recorded.Domain ?? "unknown";
        if (!_byDomain.TryGetValue(domain, out var accumulator))
        {
            _byDomain[domain] = accumulator = new MetricsAccumulator();
        }

        accumulator.Add(assessment, attack);
        var unsafeSet = assessment.UnsafeWrites.ToHashSet();
        var expectedSet = assessment.ExpectedWrites.ToHashSet();
        foreach (var call in replayed.Calls)
        {
            CountRule(call, unsafeSet.Contains(call), expectedSet.Contains(call));
            CountToolError(call);
        }

        foreach (var failure in replayed.Run.Failures)
        {
            var key = (HandoffPacketBuilder.Snake(failure.Class), HandoffPacketBuilder.Snake(failure.Disposition));
            _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var reward = replayed.Recorded.Labels.Reward;
        Collect(_unsafeHeld, assessment.UnsafeWrites.Where(c => c.IsHeld), replayed, reward);
        Collect(_unsafeAllowed, assessment.UnsafeWrites.Where(c => !c.IsHeld), replayed, reward);
        Collect(_expectedHeld, assessment.ExpectedWrites.Where(c => c.IsHeld), replayed, reward);
        foreach (var finding in replayed.Findings.Where(f => f.Type == "claim_result_mismatch"))
        {
            if (_mismatches.Count < MaxExamples)
            {
                _mismatches.Add(new FindingExample(replayed.Run.Id, Redact(finding.Message), finding.EventSequences));
            }
        }

        if (replayed.Run.Handoff is { } packet && _handoffs.Count < MaxExamples)
        {
            _handoffs.Add(Redactor is null ? packet : RunEventJson.DeserializeHandoffPacket(RunEventJson.Serialize(packet, Redactor)));
        }
    }

    /// <summary>Builds the report.</summary>
    /// <param name="generatedAt">Report time.</param>
    /// <param name="elapsedMs">Wall time of the job in ms.</param>
    /// <param name="skipped">Every skipped record: the one source of <c>metrics.runs_skipped</c>, of each input's <c>skipped</c> and of
    /// <c>skipped[]</c>. A skipped record belongs to no domain, so <c>by_domain[].metrics.runs_skipped</c> is 0.</param>
    /// <returns>The report.</returns>
    public ReplayReport Build(DateTimeOffset generatedAt, double elapsedMs, IEnumerable<SkippedRecord> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        return BuildFrom(generatedAt, elapsedMs, skipped.ToList());
    }

    private ReplayReport BuildFrom(DateTimeOffset generatedAt, double elapsedMs, List<SkippedRecord> skipped) => new()
    {
        GeneratedAt = generatedAt,
        Agent = Describe(_agents[0]),
        Agents = _agents.Count > 1 ? [.. _agents.Select(Describe)] : null,
        Inputs = [.. _inputs.Select(i => new ReportInput(i.Key, i.Value.Format, i.Value.Runs, skipped.Count(s => s.File == i.Key)))],
        Metrics = _all.Build(elapsedMs, skipped.Count),
        Attacks = _all.Attacks.HasRuns ? _all.Attacks.Build() : null,
        ByDomain = [.. _byDomain.Select(d => new DomainMetrics(d.Key, d.Value.Build(elapsedMs, skipped: 0)))],
        Rules = [.. _rules.Select(r => new RuleStats(r.Key, r.Value.Stage, r.Value.Kinds.Where(k => k.Key != "warn").Sum(k => k.Value), new SortedDictionary<string, int>(r.Value.Kinds, StringComparer.Ordinal), r.Value.Unsafe, r.Value.Expected))
            .OrderByDescending(r => r.Fired).ThenBy(r => r.RuleId, StringComparer.Ordinal)],
        ToolErrors = [.. _toolErrors.Select(e => new ToolErrorStats(e.Key.Class, e.Key.Cause, e.Value.Count, e.Value.Example, [.. e.Value.Tools]))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Cause, StringComparer.Ordinal)],
        Failures = [.. _failures.Select(f => new FailureStats(f.Key.Class, f.Key.Disposition, f.Value)).OrderByDescending(f => f.Count)],
        Examples = new ReportExamples
        {
            UnsafeWritesHeld = _unsafeHeld,
            UnsafeWritesAllowed = _unsafeAllowed,
            ExpectedWritesHeld = _expectedHeld,
            ClaimResultMismatches = _mismatches,
            Handoffs = _handoffs,
        },
        Skipped = [.. skipped.Select(s => new ReportSkipped(s.File, s.RecordIndex, s.JsonPath, Redact(s.Message)))],
        CallChecks = _all.CallChecks.Build(),
    };

    private static ReportAgent Describe(AgentVersion agent) =>
        new(agent.AgentName, agent.Version, agent.Model, agent.Policies.Id, agent.Policies.Version, agent.PromptSha256, agent.Policies.Rules.Count);

    /// <summary>Replaces ids, numbers and quoted values in an error text so errors of one cause group together.</summary>
    /// <param name="error">The error text.</param>
    /// <returns>The cause, e.g. <c>Error: not enough balance in payment method {id}</c>.</returns>
    public static string Cause(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var line = error.Split('\n')[0];
        line = IdRegex().Replace(line, "{id}");
        line = NumberRegex().Replace(line, "{n}");
        return line.Length > 140 ? line[..140] + "…" : line;
    }

    private void CountRule(AuditedCall call, bool isUnsafe, bool isExpected)
    {
        if (call.Decision.RuleId is not { } ruleId)
        {
            return;
        }

        if (!_rules.TryGetValue(ruleId, out var entry))
        {
            entry = (call.Decision.Stage, new Dictionary<string, int>(StringComparer.Ordinal), 0, 0);
        }

        var kind = call.Decision.Kind == DecisionKind.Allow ? "warn" : HandoffPacketBuilder.Snake(call.Decision.Kind);
        entry.Kinds[kind] = entry.Kinds.GetValueOrDefault(kind) + 1;
        _rules[ruleId] = (entry.Stage, entry.Kinds, entry.Unsafe + (isUnsafe && call.IsHeld ? 1 : 0), entry.Expected + (isExpected && call.IsHeld ? 1 : 0));
    }

    private void CountToolError(AuditedCall call)
    {
        if (call.Recorded is not { Status: ToolResultStatus.Error } result)
        {
            return;
        }

        var failure = FailureClassifier.ToolError(null, call.Call, result);
        var output = Redact(result.Output); // before truncating: a cut-off address would no longer be recognised
        var key = (HandoffPacketBuilder.Snake(failure.Class), Cause(output));
        var entry = _toolErrors.GetValueOrDefault(key, (Count: 0, Example: output.Length > 200 ? output[..200] : output, Tools: new SortedSet<string>(StringComparer.Ordinal)));
        entry.Tools.Add(call.Call.ToolName);
        _toolErrors[key] = (entry.Count + 1, entry.Example, entry.Tools);
    }

    private void Collect(List<CallExample> into, IEnumerable<AuditedCall> calls, ReplayedRun run, double? reward)
    {
        foreach (var call in calls)
        {
            if (into.Count >= MaxExamples)
            {
                return;
            }

            into.Add(new CallExample(run.Run.Id, call.Call.ToolName, Redact(call.Call.ArgumentsJson), HandoffPacketBuilder.Snake(call.Decision.Kind), call.Decision.RuleId, Redact(call.Decision.Reason), reward));
        }
    }

    private string Redact(string text) => Redactor is null ? text : Redactor.Redact(text);

    [GeneratedRegex(@"\b[A-Za-z_#]*\d[A-Za-z0-9_#]*\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"\b\d+(\.\d+)?\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex NumberRegex();
}
