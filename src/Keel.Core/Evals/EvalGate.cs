using System.Globalization;
using Keel.Statistics;

namespace Keel.Evals;

/// <summary>Options of the release gate.</summary>
public sealed record GateOptions
{
    /// <summary>The regression tolerated, in percentage points of pass rate (and of mean score ×100). The default is 0: any
    /// significant regression fails.</summary>
    public double MarginPp { get; init; }

    /// <summary>Significance level of the McNemar test and 1 − the confidence level of the paired bootstrap intervals. The default is 0.05.</summary>
    public double Alpha { get; init; } = 0.05;
}

/// <summary>The release gate: compares a candidate with a baseline on the same cases, paired per case, and fails only on a
/// significant regression beyond the margin.</summary>
/// <remarks>Pass/fail: McNemar's test on the discordant cases (<see cref="McNemar"/>) — b cases passed under the baseline only,
/// c under the candidate only — and a paired percentile bootstrap interval for the pass-rate difference (candidate − baseline).
/// Scores: a paired bootstrap interval for the mean score difference (<see cref="Bootstrap.PairedDifference"/>). The gate fails
/// when (1) b &gt; c, McNemar's p &lt; α and the upper bound of the pass-rate difference's interval is below −margin, or (2) the
/// upper bound of the score difference's interval is below −margin/100 and more cases scored lower than higher with the exact sign
/// test's p &lt; α (Dixon &amp; Mood, JASA 41, 1946; computed as <see cref="McNemar"/> on the cases whose score moved) — i.e. when the data show, at level 1 − α, a regression
/// larger than the margin. An identical candidate has no discordant case and a zero difference, so it always passes.</remarks>
public static class EvalGate
{
    /// <summary>Compares the candidate with the baseline.</summary>
    /// <param name="candidate">Candidate results.</param>
    /// <param name="baseline">Baseline results on the same case ids (any order).</param>
    /// <param name="options">Margin and α; <see langword="null"/> for the defaults.</param>
    /// <returns>The comparison and the verdict.</returns>
    /// <exception cref="ArgumentException">The two runs do not cover the same case ids, or there are none.</exception>
    public static GateResult Compare(IReadOnlyList<CaseResult> candidate, IReadOnlyList<CaseResult> baseline, GateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        options ??= new GateOptions();
        var byId = baseline.ToDictionary(r => r.Id, StringComparer.Ordinal);
        if (candidate.Count == 0 || candidate.Count != byId.Count || candidate.Any(c => !byId.ContainsKey(c.Id)))
        {
            throw new ArgumentException("The gate compares the same cases under both versions; the case ids differ or there are none.", nameof(baseline));
        }

        var pairs = candidate.Select(c => (Candidate: c, Baseline: byId[c.Id])).ToList();
        var regressions = pairs.Where(p => p.Baseline.Passed && !p.Candidate.Passed).Select(p => p.Candidate.Id).ToList();
        var improvements = pairs.Where(p => !p.Baseline.Passed && p.Candidate.Passed).Select(p => p.Candidate.Id).ToList();
        var level = 1 - options.Alpha;
        var test = McNemar.Test(regressions.Count, improvements.Count);
        var passDiff = Bootstrap.PairedDifference([.. pairs.Select(p => p.Candidate.Passed ? 1.0 : 0.0)], [.. pairs.Select(p => p.Baseline.Passed ? 1.0 : 0.0)], level);
        var scoreDiff = Bootstrap.PairedDifference([.. pairs.Select(p => p.Candidate.Score)], [.. pairs.Select(p => p.Baseline.Score)], level);
        var margin = options.MarginPp / 100;
        var passRegression = regressions.Count > improvements.Count && test.PValue < options.Alpha && passDiff.Upper < -margin;
        // The percentile bootstrap alone is too liberal when few cases change (with k changed cases a resample misses all of them
        // with probability about e^-k), so a score regression must also pass the exact sign test on the cases whose score moved.
        var down = pairs.Count(p => p.Candidate.Score < p.Baseline.Score);
        var up = pairs.Count(p => p.Candidate.Score > p.Baseline.Score);
        var sign = McNemar.Test(down, up);
        var scoreRegression = scoreDiff.Upper < -margin && down > up && sign.PValue < options.Alpha;
        // 0 - x rather than -x: a zero margin prints as "0", not "-0".
        var floorPp = 0 - options.MarginPp;
        var floorScore = 0 - margin;
        string verdict = (passRegression, scoreRegression) switch
        {
            (true, _) => string.Create(CultureInfo.InvariantCulture, $"significant pass-rate regression: {regressions.Count} cases regressed, {improvements.Count} improved, McNemar p = {test.PValue:0.####} < {options.Alpha}, difference {passDiff.Estimate * 100:0.#} pp with {level:P0} interval [{passDiff.Lower * 100:0.#}, {passDiff.Upper * 100:0.#}] pp entirely below {floorPp} pp"),
            (false, true) => string.Create(CultureInfo.InvariantCulture, $"significant score regression: mean score difference {scoreDiff.Estimate:0.###} with {level:P0} interval [{scoreDiff.Lower:0.###}, {scoreDiff.Upper:0.###}] entirely below {floorScore:0.###}; {down} cases scored lower, {up} higher, sign test p = {sign.PValue:0.####}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"no significant regression beyond {options.MarginPp} pp: {regressions.Count} cases regressed, {improvements.Count} improved, McNemar p = {test.PValue:0.####}"),
        };
        return new GateResult(pairs.Count, regressions, improvements, test, passDiff, scoreDiff, options.MarginPp, options.Alpha, passRegression || scoreRegression, verdict);
    }
}

/// <summary>The gate's comparison of a candidate with a baseline.</summary>
/// <param name="Cases">Paired cases.</param>
/// <param name="Regressions">Case ids that passed under the baseline and fail under the candidate (McNemar's b).</param>
/// <param name="Improvements">Case ids that fail under the baseline and pass under the candidate (McNemar's c).</param>
/// <param name="McNemar">McNemar's test on b and c.</param>
/// <param name="PassRateDifference">Candidate − baseline pass rate (a share; ×100 for pp) with its paired bootstrap interval.</param>
/// <param name="ScoreDifference">Candidate − baseline mean score with its paired bootstrap interval.</param>
/// <param name="MarginPp">The margin in percentage points.</param>
/// <param name="Alpha">The significance level.</param>
/// <param name="Failed">Whether the gate fails (a significant regression beyond the margin).</param>
/// <param name="Verdict">The verdict in one sentence with the figures.</param>
public sealed record GateResult(int Cases, IReadOnlyList<string> Regressions, IReadOnlyList<string> Improvements, TestResult McNemar, ConfidenceInterval PassRateDifference, ConfidenceInterval ScoreDifference, double MarginPp, double Alpha, bool Failed, string Verdict);
