namespace Keel.Drift;

/// <summary>How drift is tested: the false-discovery rate, the smallest samples tested, and the unit of resampling.</summary>
public sealed record DriftOptions
{
    /// <summary>The default <see cref="FalseDiscoveryRate"/>: 0.05.</summary>
    public const double DefaultFalseDiscoveryRate = 0.05;

    /// <summary>The default <see cref="MinRuns"/>: 20.</summary>
    public const int DefaultMinRuns = 20;

    /// <summary>The default <see cref="MinExpectedCount"/>: 5.</summary>
    public const double DefaultMinExpectedCount = 5;

    /// <summary>The level q at which the Benjamini–Hochberg procedure controls the false discovery rate over all metrics tested
    /// together (Benjamini &amp; Hochberg, JRSS B 57, 1995): a metric drifted when its adjusted p-value is below q. When no metric
    /// really drifted, the chance that any metric alarms is then at most q as well (the false discovery rate equals the family-wise
    /// error rate under the global null hypothesis).</summary>
    /// <value>The default is 0.05.</value>
    public double FalseDiscoveryRate { get; init; } = DefaultFalseDiscoveryRate;

    /// <summary>Runs each side needs for a metric to be tested; fewer, and the metric is reported <c>not_enough_runs</c>. Counted
    /// among the runs the metric applies to (runs with a reward for the task success rate, runs with a tool call for the tool error
    /// rate, …). A floor for the large-sample approximations the tests use (normal for z, Kolmogorov's limit for KS, χ² for the
    /// homogeneity test); with 20 runs one run moves a run rate by 5 percentage points. A choice, not a theorem: the validity
    /// condition of each count test (<see cref="MinExpectedCount"/>) is checked as well.</summary>
    /// <value>The default is 20.</value>
    public int MinRuns { get; init; } = DefaultMinRuns;

    /// <summary>The smallest expected count per cell for the χ² and z approximations to hold (Cochran, "Some methods for
    /// strengthening the common χ² tests", Biometrics 10, 1954: an expected count below 5 makes them unreliable). Below it a run rate
    /// is tested with Fisher's exact test instead, categories of a distribution are pooled into <c>(other)</c>, and a rate per call
    /// — for which no exact test respects runs as clusters — is reported <c>not_enough_runs</c>.</summary>
    /// <value>The default is 5.</value>
    public double MinExpectedCount { get; init; } = DefaultMinExpectedCount;

    /// <summary>When <see langword="true"/>, metrics counted per tool call or per message treat every call and message as an
    /// independent observation (the textbook two-proportion z-test over calls, KS over message lengths). This is wrong for recorded
    /// runs — the messages and calls of one run share its task, customer and policy branch — and inflates false alarms
    /// (docs/drift.md measures by how much); it exists to show that. When <see langword="false"/>, runs are the unit: per-call rates use
    /// the clustered z-test (<see cref="Statistics.ClusteredProportion"/>) and lengths are compared as each run's mean.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool TreatCallsAsIndependent { get; init; }

    /// <summary>Throws when a setting is out of range, naming the setting and the fix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(FalseDiscoveryRate > 0 && FalseDiscoveryRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FalseDiscoveryRate), FalseDiscoveryRate, "FalseDiscoveryRate (--alpha) is a level in (0, 1), e.g. 0.05.");
        }

        if (MinRuns < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinRuns), MinRuns, "MinRuns (--min-runs) is at least 2 runs per side; the default is 20.");
        }

        if (!(MinExpectedCount >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinExpectedCount), MinExpectedCount, "MinExpectedCount is 0 or more; the default is 5 (Cochran 1954).");
        }
    }
}
