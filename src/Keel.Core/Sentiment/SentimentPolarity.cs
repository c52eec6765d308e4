namespace Keel.Sentiment;

/// <summary>The three sentiment classes of VADER's evaluation (Hutto &amp; Gilbert, ICWSM 2014, section 4, Table 4).</summary>
public enum SentimentPolarity
{
    /// <summary>Negative: compound at or below −0.05 (or the evaluation's threshold).</summary>
    Negative,

    /// <summary>Neutral: strictly between the negative and positive thresholds.</summary>
    Neutral,

    /// <summary>Positive: compound at or above +0.05 (or the evaluation's threshold).</summary>
    Positive,
}
