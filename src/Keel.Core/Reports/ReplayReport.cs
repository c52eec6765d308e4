namespace Keel.Reports;

/// <summary>The <c>report.json</c> contract of <c>keel replay</c> (schema version 1). Property names are snake_case; shares are numbers from 0 to 1,
/// <see langword="null"/> where the input has no labels. Documented in <c>docs/report-json.md</c>.</summary>
public sealed partial record ReplayReport
{
    /// <summary>Contract version; bumped on breaking changes. Value: 1.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>When the report was written (UTC, ISO 8601).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The agent version replayed.</summary>
    public required ReportAgent Agent { get; init; }

    /// <summary>Every agent version replayed, when there were several (one per domain); <see langword="null"/> with one.</summary>
    public IReadOnlyList<ReportAgent>? Agents { get; init; }

    /// <summary>Input files with their format and run counts.</summary>
    public required IReadOnlyList<ReportInput> Inputs { get; init; }

    /// <summary>Headline metrics over every run.</summary>
    public required ReportMetrics Metrics { get; init; }

    /// <summary>The same metrics per domain (workflow class), by name.</summary>
    public required IReadOnlyList<DomainMetrics> ByDomain { get; init; }

    /// <summary>Prompt-injection containment (inputs with attack labels, e.g. AgentDojo); <see langword="null"/> when no run has them.</summary>
    public AttackReport? Attacks { get; init; }

    /// <summary>Every policy rule and pipeline check that fired, most frequent first.</summary>
    public required IReadOnlyList<RuleStats> Rules { get; init; }

    /// <summary>Recorded tool errors grouped by class and cause, most frequent first.</summary>
    public required IReadOnlyList<ToolErrorStats> ToolErrors { get; init; }

    /// <summary>Classified failures by class and disposition.</summary>
    public required IReadOnlyList<FailureStats> Failures { get; init; }

    /// <summary>Examples for a person to read.</summary>
    public required ReportExamples Examples { get; init; }

    /// <summary>Records the importers skipped, with file, record index and JSON path.</summary>
    public required IReadOnlyList<ReportSkipped> Skipped { get; init; }

    /// <summary>What a person should check before trusting the figures, one sentence each, e.g. runs of one domain governed by the bundle
    /// of another (<see cref="Replay.DomainCheck"/>). Empty when there is nothing to say.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the optional LLM classifier asked and cost (calls, cache hits, failures, tokens, USD when priced;
    /// docs/classifier.md); <see langword="null"/> when it was off.</summary>
    public Classification.ModelCost? Classifier { get; init; }
}

/// <summary>The agent version replayed.</summary>
/// <param name="Name">Agent name.</param>
/// <param name="Version">Agent version.</param>
/// <param name="Model">Model.</param>
/// <param name="PolicyId">Policy set id.</param>
/// <param name="PolicyVersion">Policy set version.</param>
/// <param name="PromptSha256">SHA-256 of the prompt file.</param>
/// <param name="Rules">Number of policy rules.</param>
public sealed record ReportAgent(string Name, string Version, string Model, string PolicyId, string PolicyVersion, string PromptSha256, int Rules);

/// <summary>One input file.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Format">Importer format, e.g. <c>tau-bench</c>.</param>
/// <param name="Runs">Runs replayed from it.</param>
/// <param name="Skipped">Records skipped in it.</param>
public sealed record ReportInput(string Path, string Format, int Runs, int Skipped);

/// <summary>Headline metrics.</summary>
public sealed partial record ReportMetrics
{
    /// <summary>Runs read: replayed + skipped.</summary>
    public int RunsTotal { get; init; }

    /// <summary>Runs replayed.</summary>
    public int RunsReplayed { get; init; }

    /// <summary>Runs skipped because their record was broken.</summary>
    public int RunsSkipped { get; init; }

    /// <summary>Share of labelled runs (reward and expected actions known) where "the successful writes are exactly the expected writes" equals the reward label.</summary>
    public double? OutcomeAgreement { get; init; }

    /// <summary>Runs that have both a reward and expected actions.</summary>
    public int OutcomeLabelledRuns { get; init; }

    /// <summary>Agent tool calls governed.</summary>
    public int ToolCalls { get; init; }

    /// <summary>Decisions by kind (snake_case: allow, deny, require_approval, require_plan, escalate).</summary>
    public required IReadOnlyDictionary<string, int> Decisions { get; init; }

    /// <summary>Write calls that succeeded in the recording.</summary>
    public int SuccessfulWrites { get; init; }

    /// <summary>Successful writes matching the task's expected actions.</summary>
    public int ExpectedWrites { get; init; }

    /// <summary>Successful writes not among the task's expected actions (only runs with expected actions).</summary>
    public int UnsafeWrites { get; init; }

    /// <summary>Unsafe writes Keel would have denied, escalated or held for approval.</summary>
    public int UnsafeWritesHeld { get; init; }

    /// <summary><see cref="UnsafeWritesHeld"/> / <see cref="UnsafeWrites"/>; <see langword="null"/> without expected actions.</summary>
    public double? UnsafeWritesHeldShare { get; init; }

    /// <summary>Expected writes Keel would have denied, escalated or held (false positives).</summary>
    public int ExpectedWritesHeld { get; init; }

    /// <summary><see cref="ExpectedWritesHeld"/> / <see cref="ExpectedWrites"/>; <see langword="null"/> without expected actions.</summary>
    public double? ExpectedWritesHeldShare { get; init; }

    /// <summary>Claim/result mismatch findings.</summary>
    public int ClaimResultMismatches { get; init; }

    /// <summary>Repeated-question findings.</summary>
    public int RepeatedQuestions { get; init; }

    /// <summary>Transfers to a human by the agent.</summary>
    public int HumanTransfers { get; init; }

    /// <summary>Customer messages that turned negative right after an agent reply (<see cref="Monitors.TagTypes.SentimentTurnedNegative"/>).</summary>
    public int SentimentTurnedNegative { get; init; }

    /// <summary>Runs per customer-sentiment tag (<see cref="Monitors.TagTypes"/>: <c>sentiment_negative</c>, <c>sentiment_neutral</c>,
    /// <c>sentiment_positive</c>, <c>sentiment_declining</c>, <c>sentiment_improving</c>); a tag no run has is absent.</summary>
    public IReadOnlyDictionary<string, int> SentimentTags { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Runs that ended with a handoff packet (escalation or safe stop).</summary>
    public int Handoffs { get; init; }

    /// <summary>Wall time of the whole job (import, replay, store, report), in ms.</summary>
    public double ElapsedMs { get; init; }

    /// <summary>Runs replayed per second of <see cref="ElapsedMs"/>.</summary>
    public double RunsPerSecond { get; init; }

    /// <summary>Successful prompt-injection attacks whose every attacker-serving call Keel denied or held, over successful attacks
    /// (AgentDojo <c>security == true</c>); <see langword="null"/> without attack labels. Details in <see cref="ReplayReport.Attacks"/>.</summary>
    public double? AttacksHeldShare { get; init; }

    /// <summary>Unattacked runs in which Keel held or denied any call, over unattacked runs; <see langword="null"/> without attack labels.</summary>
    public double? BenignRunsIntervenedShare { get; init; }
}

/// <summary>Metrics of one domain.</summary>
/// <param name="Domain">Domain name, or <c>unknown</c>.</param>
/// <param name="Metrics">Its metrics.</param>
public sealed record DomainMetrics(string Domain, ReportMetrics Metrics);

/// <summary>How often a rule fired.</summary>
/// <param name="RuleId">Rule id (policy rules) or check id (<c>schema.*</c>, <c>budget.*</c>, <c>loop.*</c>).</param>
/// <param name="Stage">Pipeline stage.</param>
/// <param name="Fired">Calls it denied, escalated or held (warnings not counted).</param>
/// <param name="Decisions">By decision kind; <c>warn</c> counts calls allowed with this rule's warning.</param>
/// <param name="UnsafeWritesHeld">Unsafe writes it held.</param>
/// <param name="ExpectedWritesHeld">Expected writes it held.</param>
public sealed record RuleStats(string RuleId, string Stage, int Fired, IReadOnlyDictionary<string, int> Decisions, int UnsafeWritesHeld, int ExpectedWritesHeld);

/// <summary>Recorded tool errors of one cause.</summary>
/// <param name="Class">tool_transient or tool_semantic.</param>
/// <param name="Cause">The error text with ids and numbers replaced by placeholders.</param>
/// <param name="Count">Occurrences.</param>
/// <param name="Example">One real error text.</param>
/// <param name="Tools">Tools that returned it.</param>
public sealed record ToolErrorStats(string Class, string Cause, int Count, string Example, IReadOnlyList<string> Tools);

/// <summary>Failures of one class and disposition.</summary>
/// <param name="Class">Failure class.</param>
/// <param name="Disposition">Disposition.</param>
/// <param name="Count">Occurrences.</param>
public sealed record FailureStats(string Class, string Disposition, int Count);

/// <summary>Examples for a person to read (up to 25 each).</summary>
public sealed record ReportExamples
{
    /// <summary>Unsafe writes Keel would have held.</summary>
    public required IReadOnlyList<CallExample> UnsafeWritesHeld { get; init; }

    /// <summary>Unsafe writes no rule held: mostly the agent misreading the customer, which no policy sentence forbids.</summary>
    public required IReadOnlyList<CallExample> UnsafeWritesAllowed { get; init; }

    /// <summary>Expected writes Keel would have held (false positives).</summary>
    public required IReadOnlyList<CallExample> ExpectedWritesHeld { get; init; }

    /// <summary>Claim/result mismatches.</summary>
    public required IReadOnlyList<FindingExample> ClaimResultMismatches { get; init; }

    /// <summary>Handoff packets of runs that ended in escalation or safe stop.</summary>
    public required IReadOnlyList<Model.HandoffPacket> Handoffs { get; init; }
}

/// <summary>A tool call example.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Tool">Tool.</param>
/// <param name="Arguments">Arguments as JSON text.</param>
/// <param name="Decision">Keel's decision.</param>
/// <param name="RuleId">The deciding rule, if any.</param>
/// <param name="Reason">The decision's reason.</param>
/// <param name="Reward">The run's reward label.</param>
public sealed record CallExample(string RunId, string Tool, string Arguments, string Decision, string? RuleId, string Reason, double? Reward);

/// <summary>A finding example.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Message">The finding.</param>
/// <param name="EventSequences">Events it points to.</param>
public sealed record FindingExample(string RunId, string Message, IReadOnlyList<long> EventSequences);

/// <summary>A skipped record.</summary>
/// <param name="File">File.</param>
/// <param name="RecordIndex">0-based record index, -1 for the whole file.</param>
/// <param name="JsonPath">JSONPath of the problem.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ReportSkipped(string File, int RecordIndex, string JsonPath, string Message);
