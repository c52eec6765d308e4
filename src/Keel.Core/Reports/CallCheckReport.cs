using System.Text.Json.Serialization;

namespace Keel.Reports;

/// <summary>The malformed-call metrics of <c>report.json</c> <c>metrics</c> (and of each <c>by_domain[].metrics</c>), over runs
/// whose calls carry a validity label (<see cref="Replay.RunLabels.Calls"/>: BFCL). A run is <em>flagged</em> when Keel raised
/// at least one call finding on it (<see cref="Monitors.CallFindingTypes"/>). Shares are <see langword="null"/> when the input
/// has no such labels (or no run to divide by).</summary>
public sealed partial record ReportMetrics
{
    /// <summary>Runs labelled wrong that Keel flagged / runs labelled wrong (recall of the call checks).</summary>
    [JsonPropertyOrder(1)]
    public double? WrongCallsRecall { get; init; }

    /// <summary>Runs labelled valid that Keel flagged / runs labelled valid (false-positive rate).</summary>
    [JsonPropertyOrder(1)]
    public double? ValidCallsFlaggedShare { get; init; }

    /// <summary>Flagged runs labelled wrong / flagged labelled runs (precision of the call checks).</summary>
    [JsonPropertyOrder(1)]
    public double? WrongCallsPrecision { get; init; }
}

/// <summary>The <c>call_checks</c> section of <c>report.json</c>.</summary>
public sealed partial record ReplayReport
{
    /// <summary>Malformed-call findings against the labels: counts, recall per benchmark error type, precision per finding type, examples.</summary>
    [JsonPropertyOrder(1)] // after the properties of ReplayReport.cs, so schema_version stays first
    public CallCheckSection CallChecks { get; init; } = CallCheckSection.Empty;
}

/// <summary>Malformed-call findings measured against call validity labels (BFCL's checker verdicts).</summary>
public sealed record CallCheckSection
{
    /// <summary>A section with no runs.</summary>
    public static CallCheckSection Empty { get; } = new() { ByErrorType = [], ByFindingType = [], FlaggedValidRuns = [], MissedWrongRuns = [] };

    /// <summary>Runs with a call validity label.</summary>
    public int LabelledRuns { get; init; }

    /// <summary>Labelled runs whose calls were judged wrong.</summary>
    public int WrongRuns { get; init; }

    /// <summary>Of those, runs Keel flagged.</summary>
    public int WrongRunsFlagged { get; init; }

    /// <summary>Labelled runs whose calls were judged valid.</summary>
    public int ValidRuns { get; init; }

    /// <summary>Of those, runs Keel flagged (false positives).</summary>
    public int ValidRunsFlagged { get; init; }

    /// <summary>Recall per benchmark error type (e.g. <c>type_error:nested</c>), by error type name.</summary>
    public required IReadOnlyList<CallErrorTypeStats> ByErrorType { get; init; }

    /// <summary>Every call finding type raised, in <see cref="Monitors.CallFindingTypes.All"/> order, with how its runs were labelled.</summary>
    public required IReadOnlyList<CallFindingStats> ByFindingType { get; init; }

    /// <summary>Up to 25 runs labelled valid that Keel flagged.</summary>
    public required IReadOnlyList<CallCheckExample> FlaggedValidRuns { get; init; }

    /// <summary>Up to 25 runs labelled wrong that Keel did not flag.</summary>
    public required IReadOnlyList<CallCheckExample> MissedWrongRuns { get; init; }
}

/// <summary>Runs of one benchmark error type.</summary>
/// <param name="ErrorType">The benchmark's error type, e.g. <c>simple_function_checker:wrong_count</c>; <c>unknown</c> when the label has none.</param>
/// <param name="Runs">Runs labelled with it.</param>
/// <param name="Flagged">Of those, runs Keel flagged.</param>
/// <param name="Recall"><paramref name="Flagged"/> / <paramref name="Runs"/>.</param>
public sealed record CallErrorTypeStats(string ErrorType, int Runs, int Flagged, double Recall);

/// <summary>Findings of one call finding type.</summary>
/// <param name="FindingType">A <see cref="Monitors.CallFindingTypes"/> value.</param>
/// <param name="Findings">Findings raised (a run may have several).</param>
/// <param name="Runs">Runs with at least one.</param>
/// <param name="WrongRuns">Of those, runs labelled wrong.</param>
/// <param name="ValidRuns">Of those, runs labelled valid.</param>
/// <param name="Precision"><paramref name="WrongRuns"/> / (<paramref name="WrongRuns"/> + <paramref name="ValidRuns"/>); <see langword="null"/> when none is labelled.</param>
public sealed record CallFindingStats(string FindingType, int Findings, int Runs, int WrongRuns, int ValidRuns, double? Precision);

/// <summary>A run for a person to read.</summary>
/// <param name="RunId">Run id, e.g. <c>bfcl-simple_python_13</c>.</param>
/// <param name="Domain">Its domain (BFCL category).</param>
/// <param name="Label">The label's error type, or <c>valid</c>.</param>
/// <param name="FindingType">The first call finding's type; <see langword="null"/> for a missed run.</param>
/// <param name="Message">The first call finding's message, or the calls as proposed (tool and arguments) for a missed run.</param>
public sealed record CallCheckExample(string RunId, string Domain, string Label, string? FindingType, string Message);
