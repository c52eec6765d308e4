using Keel.Evals;
using Keel.Statistics;

namespace Keel.Backtest;

/// <summary>The backtest of a draft version against the released one over the same recorded runs.</summary>
public sealed record BacktestReport
{
    /// <summary>The draft (name, version, policy version).</summary>
    public required string Draft { get; init; }

    /// <summary>The released version.</summary>
    public required string Released { get; init; }

    /// <summary>Runs replayed under both.</summary>
    public required int Runs { get; init; }

    /// <summary>Governed tool calls per version.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls whose decision kind differs.</summary>
    public required int ChangedCalls { get; init; }

    /// <summary>The diff per rule, most changes first.</summary>
    public required IReadOnlyList<RuleDiff> Rules { get; init; }

    /// <summary>Metrics under both versions with their 95 % intervals and the paired test of their difference.</summary>
    public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    /// <summary>Task success rate per workflow from the recorded rewards (the same under both versions: replay does not change
    /// what the agent did).</summary>
    public required IReadOnlyList<WorkflowSummary> Workflows { get; init; }

    /// <summary>Wall time of the two replays in milliseconds (reported, never asserted).</summary>
    public double ElapsedMs { get; init; }

    /// <summary>Records skipped while reading the runs.</summary>
    public IReadOnlyList<string> SkippedRecords { get; init; } = [];
}

/// <summary>One metric under the released version and the draft, paired by call.</summary>
/// <param name="Name">e.g. <c>calls_stopped</c>, <c>unexpected_writes_stopped</c>, <c>expected_writes_held</c>.</param>
/// <param name="Description">What is counted.</param>
/// <param name="Released">Count, total and 95 % Wilson interval under the released version.</param>
/// <param name="Draft">The same under the draft.</param>
/// <param name="Test">McNemar's test on the calls counted under one version only.</param>
public sealed record MetricComparison(string Name, string Description, RateSummary Released, RateSummary Draft, TestResult Test);

/// <summary>Source-generated JSON for the backtest report: snake_case, indented, decision kinds as strings.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(BacktestReport))]
public sealed partial class BacktestJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
