using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Keel.Diagnostics;

/// <summary>Keel's one <see cref="System.Diagnostics.ActivitySource"/> and one <see cref="System.Diagnostics.Metrics.Meter"/>, both named
/// <see cref="Name"/>, and the instruments recorded on them. Spans follow the OpenTelemetry GenAI semantic conventions (<see cref="GenAiAttributes"/>)
/// plus Keel's own attributes (<see cref="KeelAttributes"/>); docs/telemetry.md lists every span, attribute and metric.</summary>
/// <remarks>Thread-safe. Nothing here references the OpenTelemetry SDK: a listener (the SDK through <c>Keel.Telemetry</c>, an
/// <see cref="ActivityListener"/> or a <see cref="MeterListener"/>) subscribes by name. With no listener, starting a span returns
/// <see langword="null"/> and no instrument is enabled, so telemetry costs a few checks per call. Telemetry never throws into the pipeline.</remarks>
public static partial class KeelDiagnostics
{
    /// <summary>The name of the activity source and of the meter: <c>Keel</c>.</summary>
    public const string Name = "Keel";

    /// <summary><c>keel.tool_call.decisions</c>: a counter of decided tool calls ({decision}); tags <c>keel.decision</c>, <c>keel.stage</c>,
    /// <c>gen_ai.tool.name</c>, <c>keel.rule_id</c> (when a rule decided), <c>keel.failure_class</c> (when the call failed), <c>keel.mode</c>.</summary>
    public const string DecisionsMetric = "keel.tool_call.decisions";

    /// <summary><c>keel.tool_call.duration</c>: a histogram of the time a tool call spent in Keel's pipeline, tool included, in seconds (s), the unit
    /// of the GenAI conventions' <c>gen_ai.client.operation.duration</c>; tags <c>gen_ai.operation.name</c>, <c>gen_ai.tool.name</c>,
    /// <c>keel.decision</c>, <c>keel.mode</c>, <c>error.type</c> (when the call failed).</summary>
    public const string DurationMetric = "keel.tool_call.duration";

    /// <summary><c>keel.approvals.pending</c>: an up-down counter of live calls held for a person's approval ({approval}); +1 when enforce mode
    /// holds a call, −1 through <see cref="ApprovalResolved"/>; tag <c>gen_ai.tool.name</c>. Audit mode never counts (replayed holds are never resolved).</summary>
    public const string PendingApprovalsMetric = "keel.approvals.pending";

    /// <summary><c>keel.runs</c>: a counter of ended runs ({run}); tags <c>keel.run.status</c>, <c>gen_ai.agent.name</c>, <c>keel.mode</c>.</summary>
    public const string RunsMetric = "keel.runs";

    /// <summary><c>keel.budget.used</c>: a histogram of the share of a budget limit a run used by its end (unit 1: 0.5 = half, above 1 = a call was
    /// refused for that budget); one measurement per budget kind that has a limit; tags <c>keel.budget.kind</c>, <c>gen_ai.agent.name</c>, <c>keel.mode</c>.
    /// What is left is 1 minus this value, so there is no separate "remaining" instrument.</summary>
    public const string BudgetUsedMetric = "keel.budget.used";

    /// <summary><c>keel.run.usage</c> prefix: per-run histograms <c>keel.run.steps</c> ({step}), <c>keel.run.tool_calls</c> ({tool_call}),
    /// <c>keel.run.tokens</c> ({token}) and <c>keel.run.cost</c> ({USD}) recorded when a run ends, limit or not; tags <c>gen_ai.agent.name</c>, <c>keel.mode</c>.</summary>
    public const string RunUsagePrefix = "keel.run.";

    private static readonly string? s_version = typeof(KeelDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(KeelDiagnostics).Assembly.GetName().Version?.ToString();

    /// <summary>The source of Keel's spans (<c>invoke_agent {agent}</c>, <c>execute_tool {tool}</c>), versioned with Keel.Core.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, s_version);

    /// <summary>The meter of Keel's instruments, versioned with Keel.Core.</summary>
    public static Meter Meter { get; } = new(Name, s_version);

    // Bucket boundaries: the GenAI conventions advise 0.01 s to 81.92 s for gen_ai.client.operation.duration; a decision Keel makes alone
    // (replay, or a stopped call) takes microseconds, so the buckets start at 10 µs.
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram(DurationMetric, "s",
        "Time a tool call spent in Keel's pipeline, tool included.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.0001, 0.001, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    internal static readonly Counter<long> Decisions = Meter.CreateCounter<long>(DecisionsMetric, "{decision}", "Tool calls decided by Keel's pipeline.");

    internal static readonly UpDownCounter<long> PendingApprovals = Meter.CreateUpDownCounter<long>(PendingApprovalsMetric, "{approval}", "Live tool calls held for a person's approval.");

    internal static readonly Counter<long> Runs = Meter.CreateCounter<long>(RunsMetric, "{run}", "Runs that ended, by status.");

    internal static readonly Histogram<double> BudgetUsed = Meter.CreateHistogram(BudgetUsedMetric, "1",
        "Share of a budget limit a run used by its end.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.25] });

    internal static readonly Histogram<long> RunSteps = Meter.CreateHistogram(RunUsagePrefix + "steps", "{step}", "Steps (messages and tool calls) of a run.", tags: null, CountAdvice);

    internal static readonly Histogram<long> RunToolCalls = Meter.CreateHistogram(RunUsagePrefix + "tool_calls", "{tool_call}", "Tool calls a run proposed.", tags: null, CountAdvice);

    // The GenAI conventions' token buckets (gen_ai.client.token.usage).
    internal static readonly Histogram<long> RunTokens = Meter.CreateHistogram(RunUsagePrefix + "tokens", "{token}", "Model tokens a run used.", tags: null,
        new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    internal static readonly Histogram<double> RunCost = Meter.CreateHistogram(RunUsagePrefix + "cost", "{USD}", "Model cost of a run, in US dollars.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50] });

    private static InstrumentAdvice<long> CountAdvice => new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] };

    /// <summary>Counts a held live call as resolved (approved, denied or expired): <c>keel.approvals.pending</c> −1. Call it once per call that
    /// enforce mode held for approval. Never throws.</summary>
    /// <param name="toolName">The held call's tool, the same <c>gen_ai.tool.name</c> the hold was counted under.</param>
    public static void ApprovalResolved(string toolName)
    {
        if (PendingApprovals.Enabled)
        {
            try
            {
                PendingApprovals.Add(-1, new KeyValuePair<string, object?>(GenAiAttributes.ToolName, toolName));
            }
            catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
            {
                // a listener threw: telemetry never fails the caller
            }
        }
    }
}
