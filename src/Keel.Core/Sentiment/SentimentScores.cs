namespace Keel.Sentiment;

/// <summary>VADER's scores for one text, rounded as vaderSentiment 3.3.2 returns them: <see cref="Negative"/>, <see cref="Neutral"/>
/// and <see cref="Positive"/> to 3 decimals, <see cref="Compound"/> to 4.</summary>
/// <param name="Negative">The share of the text's intensity that is negative, in [0, 1].</param>
/// <param name="Neutral">The share that is neutral (words without sentiment), in [0, 1].</param>
/// <param name="Positive">The share that is positive, in [0, 1]. The three shares add up to 1 (± rounding), or are all 0 for an
/// empty text.</param>
/// <param name="Compound">The normalised, weighted composite score in [−1, 1]: the sum of the words' intensities after the rules,
/// mapped by <c>x / √(x² + 15)</c>. −1 is most negative, +1 most positive; the one number to use for a single measure.</param>
public readonly record struct SentimentScores(double Negative, double Neutral, double Positive, double Compound)
{
    /// <summary>The class of <see cref="Compound"/>: positive at or above <paramref name="threshold"/>, negative at or below its
    /// negation, neutral between (the reference README's rule; the paper's section 4 thresholds).</summary>
    /// <param name="threshold">The threshold, ≥ 0. The default is 0.05 (<see cref="VaderConstants.CompoundThreshold"/>).</param>
    /// <returns>The class.</returns>
    public SentimentPolarity Polarity(double threshold = VaderConstants.CompoundThreshold) => Classify(Compound, threshold);

    /// <summary>The class of a score on a scale symmetric around 0: positive at or above <paramref name="threshold"/>, negative at or
    /// below <c>−threshold</c>, otherwise neutral.</summary>
    /// <param name="score">The score.</param>
    /// <param name="threshold">The threshold, ≥ 0.</param>
    /// <returns>The class.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative or not a number.</exception>
    public static SentimentPolarity Classify(double score, double threshold)
    {
        if (!(threshold >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "a classification threshold is zero or more");
        }

        return score >= threshold && score > 0 ? SentimentPolarity.Positive
            : score <= -threshold && score < 0 ? SentimentPolarity.Negative
            : SentimentPolarity.Neutral;
    }
}
