namespace Keel.Monitors;

/// <summary>The names of the tags and signals monitors put on runs: the one vocabulary reports, filters and drift use.</summary>
public static class TagTypes
{
    /// <summary>Run tag: the customer's messages were negative on average (mean VADER compound ≤ −0.05).</summary>
    public const string SentimentNegative = "sentiment_negative";

    /// <summary>Run tag: the customer's messages were neutral on average (mean VADER compound strictly between −0.05 and +0.05).</summary>
    public const string SentimentNeutral = "sentiment_neutral";

    /// <summary>Run tag: the customer's messages were positive on average (mean VADER compound ≥ +0.05).</summary>
    public const string SentimentPositive = "sentiment_positive";

    /// <summary>Run tag: the customer's last message is in a lower VADER class than the first (positive → neutral or negative,
    /// neutral → negative).</summary>
    public const string SentimentDeclining = "sentiment_declining";

    /// <summary>Run tag: the customer's last message is in a higher VADER class than the first.</summary>
    public const string SentimentImproving = "sentiment_improving";

    /// <summary>Signal: a customer message turned negative right after an agent reply, the customer's previous message not being negative.</summary>
    public const string SentimentTurnedNegative = "sentiment_turned_negative";

    /// <summary>Signal: the customer repeated an earlier message.</summary>
    public const string RepeatedQuestion = "repeated_question";
}
