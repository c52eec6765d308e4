namespace Keel.Statistics;

/// <summary>Corrections for testing many metrics at once: adjusted p-values, compared with the unadjusted α. Pure and thread-safe.</summary>
public static class MultipleTesting
{
    /// <summary>Benjamini–Hochberg step-up adjusted p-values, which control the false discovery rate (Benjamini &amp; Hochberg,
    /// JRSS B 57, 1995; R's <c>p.adjust(method="BH")</c>, statsmodels <c>multipletests(method="fdr_bh")</c>):
    /// p̃₍ᵢ₎ = min over k ≥ i of min(1, m·p₍ₖ₎ / k).</summary>
    /// <param name="pValues">The raw p-values in any order.</param>
    /// <returns>Adjusted p-values in the input order.</returns>
    /// <exception cref="ArgumentException">A p-value is outside [0, 1].</exception>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var order = Check(pValues);
        var m = pValues.Count;
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = order[rank - 1];
            running = Math.Min(running, Math.Min(1, pValues[index] * m / rank));
            adjusted[index] = running;
        }

        return adjusted;
    }

    /// <summary>Holm's step-down adjusted p-values, which control the family-wise error rate (Holm, Scand. J. Statist. 6, 1979;
    /// R's <c>p.adjust(method="holm")</c>): p̃₍ᵢ₎ = max over k ≤ i of min(1, (m − k + 1)·p₍ₖ₎).</summary>
    /// <param name="pValues">The raw p-values in any order.</param>
    /// <returns>Adjusted p-values in the input order.</returns>
    /// <exception cref="ArgumentException">A p-value is outside [0, 1].</exception>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var order = Check(pValues);
        var m = pValues.Count;
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 1; rank <= m; rank++)
        {
            var index = order[rank - 1];
            running = Math.Max(running, Math.Min(1, (m - rank + 1) * pValues[index]));
            adjusted[index] = running;
        }

        return adjusted;
    }

    private static int[] Check(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Any(p => !(p >= 0 && p <= 1)))
        {
            throw new ArgumentException("Every p-value is in [0, 1].", nameof(pValues));
        }

        return Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
    }
}
