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

    /// <summary>Signal: an escalation rule of the agent version (<c>escalation.yaml</c>) fired; the run goes to a human team.</summary>
    public const string Escalation = "escalation";

    /// <summary>Prefix of the run's topic tag: <c>topic:&lt;name&gt;</c>, the name from the agent's taxonomy (<see cref="Topic"/>).</summary>
    public const string TopicPrefix = "topic:";

    /// <summary>Run tag: the run ended with the customer's request done (a successful write, or a positive last customer message, and
    /// no escalation, failure or refusal).</summary>
    public const string OutcomeResolved = "outcome_resolved";

    /// <summary>Run tag: the agent refused or abstained and did nothing for the customer, without handing over.</summary>
    public const string OutcomeDeflected = "outcome_deflected";

    /// <summary>Run tag: the run went to a human (an escalation rule fired, or the agent called a handoff tool).</summary>
    public const string OutcomeEscalated = "outcome_escalated";

    /// <summary>Run tag: the customer's last message went unanswered, negative or repeating an earlier one.</summary>
    public const string OutcomeAbandoned = "outcome_abandoned";

    /// <summary>Run tag: Keel stopped the run (budget, loop) or the agent's last tool call failed.</summary>
    public const string OutcomeFailed = "outcome_failed";

    /// <summary>Every outcome tag, in the order they are checked.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = [OutcomeEscalated, OutcomeFailed, OutcomeAbandoned, OutcomeDeflected, OutcomeResolved];

    /// <summary>Run tag: the customer repeated a question at least once (<see cref="RepeatedQuestion"/> signals).</summary>
    public const string CustomerRepeatedQuestion = "customer_repeated_question";

    /// <summary>Run tag: the customer said they did not understand or did not know how to follow the agent.</summary>
    public const string ConfusedCustomer = "confused_customer";

    /// <summary>The topic tag of a topic name.</summary>
    /// <param name="name">The taxonomy's topic name, e.g. <c>mobile_data</c>.</param>
    /// <returns><c>topic:mobile_data</c>.</returns>
    public static string Topic(string name) => TopicPrefix + name;
}
