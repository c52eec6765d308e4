using Keel.Policies.Cel;
using Keel.Sentiment;

namespace Keel.Escalation;

/// <summary>Binds the variables escalation conditions read, from a run's <see cref="ConversationSignals"/> (docs/escalation.md lists
/// each field): <c>sentiment</c>, <c>stakes</c>, <c>topic</c>, <c>agent</c>, <c>history</c>, <c>results</c>, <c>message</c> and <c>now</c>.
/// Each map is built once per <see cref="ConversationSignals.Version"/> and reused by every rule and reference until the signals change.</summary>
public sealed class EscalationActivation(ConversationSignals signals) : ICelActivation
{
    /// <summary>The variables an escalation condition may read; the linter reports any other name.</summary>
    public static readonly IReadOnlyList<string> VariableNames = ["sentiment", "stakes", "topic", "agent", "history", "results", "message", "now"];

    private readonly Dictionary<string, (long Version, Dictionary<string, object?> Map)> _maps = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool TryGetVariable(string name, out object? value)
    {
        value = name switch
        {
            "sentiment" => Cached(name, Sentiment),
            "stakes" => Cached(name, Stakes),
            "topic" => Cached(name, Topic),
            "agent" => Cached(name, Agent),
            "history" => Cached(name, History),
            "results" => signals.Results,
            "message" => signals.Customer.Count == 0 ? string.Empty : LastCustomerText(),
            "now" => signals.Now,
            _ => null,
        };
        return VariableNames.Contains(name);
    }

    private string LastCustomerText() => signals.LastCustomerText;

    private Dictionary<string, object?> Cached(string name, Func<Dictionary<string, object?>> build)
    {
        if (_maps.TryGetValue(name, out var cached) && cached.Version == signals.Version)
        {
            return cached.Map;
        }

        var map = build();
        _maps[name] = (signals.Version, map);
        return map;
    }

    /// <summary><c>sentiment</c>: compound (last customer message), mean, min, trend (<c>declining</c>, <c>improving</c>, <c>steady</c>:
    /// the VADER class of the last customer message against the first), negative_turns, turned_negative (a negative message after at
    /// least one that was not), calm_turns_before_negative (customer messages that were not negative before the first negative one;
    /// 0 when the opening message is negative), turns_since_negative (customer messages since the latest one that turned negative,
    /// 0 for that message itself; −1 when the last message is not negative).</summary>
    private Dictionary<string, object?> Sentiment()
    {
        var turns = signals.Customer;
        var firstNegative = turns.ToList().FindIndex(t => t.Polarity == SentimentPolarity.Negative);
        var turned = turns.Select((t, i) => (t, i)).Where(x => x.i > 0 && x.t.Polarity == SentimentPolarity.Negative && turns[x.i - 1].Polarity != SentimentPolarity.Negative).Select(x => x.i).ToList();
        var lastNegative = turns.Count > 0 && turns[^1].Polarity == SentimentPolarity.Negative;
        var since = !lastNegative ? -1L : turned.Count > 0 && turns.Skip(turned[^1]).All(t => t.Polarity == SentimentPolarity.Negative) ? turns.Count - 1 - turned[^1] : turns.Count - 1;
        return new(StringComparer.Ordinal)
        {
            ["compound"] = turns.Count == 0 ? 0.0 : turns[^1].Compound,
            ["mean"] = turns.Count == 0 ? 0.0 : turns.Average(t => t.Compound),
            ["min"] = turns.Count == 0 ? 0.0 : turns.Min(t => t.Compound),
            ["trend"] = turns.Count < 2 || turns[^1].Polarity == turns[0].Polarity ? "steady" : turns[^1].Polarity < turns[0].Polarity ? "declining" : "improving",
            ["negative_turns"] = (long)turns.Count(t => t.Polarity == SentimentPolarity.Negative),
            ["turned_negative"] = turned.Count > 0,
            ["calm_turns_before_negative"] = firstNegative < 0 ? 0L : (long)firstNegative,
            ["turns_since_negative"] = since,
        };
    }

    /// <summary><c>stakes</c>: max_amount (the largest amount anywhere), customer_amount (the largest the customer wrote with a currency),
    /// tool_amount (the largest in tool arguments and answers under money-named properties); numbers in the record's currency, 0 when none.</summary>
    private Dictionary<string, object?> Stakes() => new(StringComparer.Ordinal)
    {
        ["max_amount"] = signals.LargestAmount?.Amount ?? 0.0,
        ["customer_amount"] = signals.Amount("customer"),
        ["tool_amount"] = Math.Max(signals.Amount("tool_call"), signals.Amount("tool_result")),
    };

    /// <summary><c>topic</c>: name (<c>''</c> when none), confidence (0–1), sensitive.</summary>
    private Dictionary<string, object?> Topic()
    {
        var topic = signals.Topic;
        return new(StringComparer.Ordinal)
        {
            ["name"] = topic?.Topic.Name ?? string.Empty,
            ["confidence"] = topic?.Confidence ?? 0.0,
            ["sensitive"] = topic?.Topic.Sensitive ?? false,
        };
    }

    /// <summary><c>agent</c>: abstentions (messages that abstain or refuse), tool_errors, turns, successful_writes, grounding (the lowest
    /// grounding score of its answers when a grounding check ran; <see langword="null"/> otherwise — a comparison with null is an error
    /// value and does not fire).</summary>
    private Dictionary<string, object?> Agent() => new(StringComparer.Ordinal)
    {
        ["abstentions"] = (long)signals.Abstentions.Count,
        ["tool_errors"] = (long)signals.Errors.Count,
        ["turns"] = (long)signals.AgentTurns,
        ["successful_writes"] = (long)signals.SuccessfulWrites,
        ["grounding"] = null,
    };

    /// <summary><c>history</c>: turns (customer messages), repeats, confused (messages saying they do not understand), asked_for_human,
    /// prior_escalations (transfers and escalations before this one), minutes_waited (from the customer's first message to now).</summary>
    private Dictionary<string, object?> History() => new(StringComparer.Ordinal)
    {
        ["turns"] = (long)signals.Customer.Count,
        ["repeats"] = (long)signals.Repeats.Count,
        ["confused"] = (long)signals.Confused.Count,
        ["asked_for_human"] = signals.HumanAsks.Count > 0,
        ["prior_escalations"] = (long)signals.PriorEscalations,
        ["minutes_waited"] = signals.FirstCustomerAt is { } first ? Math.Max(0, (signals.Now - first).TotalMinutes) : 0.0,
    };
}
