using Keel.Statistics;

namespace Keel.Drift;

/// <summary>Measures the false-alarm rate of drift testing: one agent's runs are split at random into two halves many times, each split
/// tested as baseline against current. No metric can have drifted between two random halves of one set, so every split with a
/// drifted metric is a false alarm; the share of such splits should stay at or below the false discovery rate q (under this global
/// null the false discovery rate is the chance of any alarm).</summary>
public static class DriftSplits
{
    /// <summary>Splits <paramref name="runs"/> into halves <paramref name="trials"/> times and tests each split.</summary>
    /// <param name="runs">One agent's runs (at least 2).</param>
    /// <param name="trials">Random splits, ≥ 1; docs/drift.md uses 200.</param>
    /// <param name="seed">Seed of the shuffles, so a measurement can be repeated.</param>
    /// <param name="options">Drift settings; <see langword="null"/> for the defaults.</param>
    /// <returns>How many splits alarmed, with a 95 % Wilson interval, and the alarms and untested splits per metric.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 runs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 trial.</exception>
    public static SplitTrials Run(IReadOnlyList<RunMetrics> runs, int trials, int seed, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (runs.Count < 2)
        {
            throw new ArgumentException("A split needs at least 2 runs.", nameof(runs));
        }

        options ??= new DriftOptions();
        var random = new Random(seed);
        var shuffled = runs.ToArray();
        var half = shuffled.Length / 2;
        var alarms = 0;
        var names = DriftMetrics.Standard.Select(m => m.Name).ToList();
        var perMetric = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var untested = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var smallestP = new List<double>(trials);
        for (var t = 0; t < trials; t++)
        {
            random.Shuffle(shuffled);
            var report = DriftDetector.Compare(shuffled[..half], shuffled[half..], options);
            alarms += report.Drifted ? 1 : 0;
            foreach (var metric in report.Metrics)
            {
                perMetric[metric.Name] += metric.Verdict == DriftVerdict.Drifted ? 1 : 0;
                untested[metric.Name] += metric.PValue is null ? 1 : 0;
            }

            smallestP.Add(report.Metrics.Min(m => m.PValue ?? 1));
        }

        return new SplitTrials
        {
            Runs = runs.Count,
            Trials = trials,
            Seed = seed,
            FalseDiscoveryRate = options.FalseDiscoveryRate,
            CallsIndependent = options.TreatCallsAsIndependent,
            SplitsWithAlarm = alarms,
            AlarmRate = Wilson.Interval(alarms, trials),
            AlarmsPerMetric = perMetric,
            UntestedPerMetric = untested,
            SplitsWithRawPBelowQ = smallestP.Count(p => p < options.FalseDiscoveryRate),
        };
    }
}

/// <summary>The result of <see cref="DriftSplits.Run"/>.</summary>
public sealed record SplitTrials
{
    /// <summary>Runs split.</summary>
    public required int Runs { get; init; }

    /// <summary>Random splits tested.</summary>
    public required int Trials { get; init; }

    /// <summary>The seed of the shuffles.</summary>
    public required int Seed { get; init; }

    /// <summary>The false discovery rate q the share is held to.</summary>
    public required double FalseDiscoveryRate { get; init; }

    /// <summary>Whether calls and messages were treated as independent.</summary>
    public required bool CallsIndependent { get; init; }

    /// <summary>Splits in which at least one metric drifted after the Benjamini–Hochberg adjustment: false alarms.</summary>
    public required int SplitsWithAlarm { get; init; }

    /// <summary>The share of splits with a false alarm, with its 95 % Wilson interval.</summary>
    public required ConfidenceInterval AlarmRate { get; init; }

    /// <summary>Splits in which each metric drifted, by metric name.</summary>
    public required IReadOnlyDictionary<string, int> AlarmsPerMetric { get; init; }

    /// <summary>Splits in which each metric was not tested (too few runs, not recorded), by metric name.</summary>
    public required IReadOnlyDictionary<string, int> UntestedPerMetric { get; init; }

    /// <summary>Splits in which some raw (unadjusted) p-value was below q: what the false-alarm share would be without the correction.</summary>
    public required int SplitsWithRawPBelowQ { get; init; }
}
