namespace Keel.Drift;

/// <summary>The result of a drift test: both sides, the settings, every metric with its verdict.</summary>
public sealed record DriftReport
{
    /// <summary>What the baseline is: the run files, as given.</summary>
    public IReadOnlyList<string> BaselineInputs { get; init; } = [];

    /// <summary>What the current side is: the run files, as given.</summary>
    public IReadOnlyList<string> CurrentInputs { get; init; } = [];

    /// <summary>The agent versions the runs were replayed under (name, version, policy version).</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>Runs on the baseline side.</summary>
    public required int BaselineRuns { get; init; }

    /// <summary>Runs on the current side.</summary>
    public required int CurrentRuns { get; init; }

    /// <summary>The false discovery rate q of the Benjamini–Hochberg procedure.</summary>
    public required double FalseDiscoveryRate { get; init; }

    /// <summary>Runs each side needs for a metric to be tested.</summary>
    public required int MinRuns { get; init; }

    /// <summary>Whether calls and messages were treated as independent (<see cref="DriftOptions.TreatCallsAsIndependent"/>).</summary>
    public required bool CallsIndependent { get; init; }

    /// <summary>Metrics tested together (those with a p-value): the m of the Benjamini–Hochberg procedure.</summary>
    public required int MetricsTested { get; init; }

    /// <summary>Every metric, in <see cref="DriftMetrics.Standard"/> order.</summary>
    public required IReadOnlyList<MetricDrift> Metrics { get; init; }

    /// <summary>Whether any metric drifted.</summary>
    public bool Drifted => Metrics.Any(m => m.Verdict == DriftVerdict.Drifted);

    /// <summary>Records skipped while reading the runs.</summary>
    public IReadOnlyList<string> SkippedRecords { get; init; } = [];
}
