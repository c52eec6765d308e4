namespace Keel.Sentiment;

/// <summary>The Pearson product-moment correlation coefficient of two samples.</summary>
public static class PearsonCorrelation
{
    /// <summary>Computes r = cov(x, y) / (σx σy), in two passes (means first) for accuracy.</summary>
    /// <param name="x">The first sample.</param>
    /// <param name="y">The second sample, the same length.</param>
    /// <returns>r in [−1, 1]; NaN when there are fewer than two pairs or either sample is constant.</returns>
    /// <exception cref="ArgumentException">The samples differ in length.</exception>
    public static double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"the samples differ in length ({x.Length} and {y.Length})", nameof(y));
        }

        if (x.Length < 2)
        {
            return double.NaN;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }

        if (varianceX == 0 || varianceY == 0)
        {
            return double.NaN;
        }

        return Math.Clamp(covariance / Math.Sqrt(varianceX * varianceY), -1.0, 1.0);
    }
}
