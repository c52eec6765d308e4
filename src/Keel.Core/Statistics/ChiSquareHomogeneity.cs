using MathNet.Numerics.Distributions;

namespace Keel.Statistics;

/// <summary>Pearson's χ² test of homogeneity: do two or more samples share one distribution over categories (e.g. the run tags
/// of a baseline window against the current one)? Expected counts are row total × column total / grand total; categories with no
/// observation in any sample are dropped (they carry no information and would divide by zero). No continuity correction, as
/// <c>scipy.stats.chi2_contingency</c> for tables larger than 2 × 2 (Agresti 2002, §3.2). Pure and thread-safe.</summary>
public static class ChiSquareHomogeneity
{
    /// <summary>Tests the table <paramref name="counts"/>: one row per sample, one column per category.</summary>
    /// <param name="counts">Rows of equal length with non-negative counts; at least two rows with an observation.</param>
    /// <returns>χ², its p-value and (rows − 1)(columns − 1) degrees of freedom; p = 1 when fewer than two categories remain.</returns>
    /// <exception cref="ArgumentException">Fewer than two rows, rows of different lengths, a negative count, or an empty row.</exception>
    public static TestResult Test(IReadOnlyList<IReadOnlyList<double>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count < 2)
        {
            throw new ArgumentException("A homogeneity test compares at least two samples (rows).", nameof(counts));
        }

        var width = counts[0].Count;
        if (counts.Any(r => r.Count != width) || counts.Any(r => r.Any(c => c < 0)))
        {
            throw new ArgumentException("Every row needs the same categories and non-negative counts.", nameof(counts));
        }

        var columns = Enumerable.Range(0, width).Where(j => counts.Any(r => r[j] > 0)).ToList();
        var rowTotals = counts.Select(r => columns.Sum(j => r[j])).ToList();
        if (rowTotals.Any(t => t == 0))
        {
            throw new ArgumentException("Every sample (row) needs at least one observation.", nameof(counts));
        }

        if (columns.Count < 2)
        {
            return new TestResult(0, 1, "chi2-homogeneity");
        }

        var total = rowTotals.Sum();
        var chi2 = 0.0;
        foreach (var j in columns)
        {
            var columnTotal = counts.Sum(r => r[j]);
            for (var i = 0; i < counts.Count; i++)
            {
                var expected = rowTotals[i] * columnTotal / total;
                var d = counts[i][j] - expected;
                chi2 += d * d / expected;
            }
        }

        var dof = (counts.Count - 1) * (columns.Count - 1);
        return new TestResult(chi2, 1 - ChiSquared.CDF(dof, chi2), "chi2-homogeneity", dof);
    }
}
