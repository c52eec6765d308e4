using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Model;
using Keel.Monitors;
using Keel.Sentiment;
using Keel.Tools;

namespace Keel.Escalation;

/// <summary>What escalation rules and conversation tags read about one run so far: the customer's sentiment per message, the amounts at
/// stake, the topic, the agent's confidence and the history (turns, repeats, prior escalations, minutes waited). Fed with every event
/// in order; the same code for replay and live. One set per run, shared by the monitors that read it (<see cref="SentimentMonitor.Signals"/>):
/// each monitor session passes every event to <see cref="Observe"/>, the first one computes, the others find it done, so every customer
/// message is scored once. Not thread-safe (one run).</summary>
public sealed partial class ConversationSignals(AgentVersion agent, SentimentMonitor sentiment, TopicTaxonomy topics)
{
    private readonly List<CustomerTurn> _customer = [];
    private readonly List<(string Text, long Sequence)> _customerTexts = [];
    private readonly List<(HashSet<string> Words, long Sequence)> _asked = [];
    private readonly List<IReadOnlyDictionary<string, object?>> _results = [];
    private readonly List<long> _abstentions = [];
    private readonly List<long> _errors = [];
    private readonly List<long> _repeats = [];
    private readonly List<long> _confused = [];
    private readonly List<long> _humanAsks = [];
    private readonly Dictionary<string, (double Amount, long Sequence)> _maxAmount = new(StringComparer.Ordinal);
    private TopicMatch? _topic;
    private bool _topicStale = true;
    private RunEvent? _lastSeen;

    /// <summary>The customer's messages with their VADER compound (mean over sentences), in run order.</summary>
    public IReadOnlyList<CustomerTurn> Customer => _customer;

    /// <summary>The customer's last message, or empty.</summary>
    public string LastCustomerText => _customerTexts.Count == 0 ? string.Empty : _customerTexts[^1].Text;

    /// <summary>Assistant messages so far.</summary>
    public int AgentTurns { get; private set; }

    /// <summary>The role of the last non-empty user or assistant message; <see langword="null"/> before any.</summary>
    public MessageRole? LastSpeaker { get; private set; }

    /// <summary>Successful calls of write tools so far (the agent did something for the customer).</summary>
    public int SuccessfulWrites { get; private set; }

    /// <summary>Calls of the version's handoff tools (<see cref="HandoffOptions.Tools"/>) and escalations that fired, so far.</summary>
    public int PriorEscalations { get; private set; }

    /// <summary>Assistant messages that abstain or refuse (<see cref="AbstentionPattern"/>), by sequence.</summary>
    public IReadOnlyList<long> Abstentions => _abstentions;

    /// <summary>Customer messages that repeat an earlier one (<see cref="RepeatedQuestionMonitor"/>'s rule), by sequence.</summary>
    public IReadOnlyList<long> Repeats => _repeats;

    /// <summary>Customer messages that say they do not understand (<see cref="ConfusionPattern"/>), by sequence.</summary>
    public IReadOnlyList<long> Confused => _confused;

    /// <summary>Tool results that were errors, by sequence.</summary>
    public IReadOnlyList<long> Errors => _errors;

    /// <summary>When the customer first wrote; <see langword="null"/> before.</summary>
    public DateTimeOffset? FirstCustomerAt { get; private set; }

    /// <summary>The time of the latest event seen.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The conversation's topic by the customer's words so far, or <see langword="null"/>.</summary>
    public TopicMatch? Topic
    {
        get
        {
            if (_topicStale)
            {
                _topic = topics.Classify(_customerTexts);
                _topicStale = false;
            }

            return _topic;
        }
    }

    /// <summary>The largest amount at stake and where it came from (<c>customer</c>, <c>tool_call</c>, <c>tool_result</c>); <see langword="null"/> when none.</summary>
    public (double Amount, string Source, long Sequence)? LargestAmount =>
        _maxAmount.Count == 0 ? null : _maxAmount.OrderByDescending(a => a.Value.Amount).Select(a => ((double, string, long)?)(a.Value.Amount, a.Key, a.Value.Sequence)).First();

    /// <summary>The largest amount of one source, or 0.</summary>
    /// <param name="source"><c>customer</c>, <c>tool_call</c> or <c>tool_result</c>.</param>
    public double Amount(string source) => _maxAmount.TryGetValue(source, out var a) ? a.Amount : 0;

    /// <summary>Tool results so far as maps <c>{tool, output, json, error, sequence}</c> (<c>json</c>: the parsed output or <see langword="null"/>).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Results => _results;

    /// <summary>Customer messages that ask for a person (<see cref="HumanRequestPattern"/>), by sequence.</summary>
    public IReadOnlyList<long> HumanAsks => _humanAsks;

    /// <summary>Changes with every event seen and every escalation counted: readers cache what they derive (<see cref="EscalationActivation"/>'s
    /// maps) while it stays the same.</summary>
    public long Version { get; private set; }

    /// <summary>Counts an escalation that fired, for <c>history.prior_escalations</c>.</summary>
    public void CountEscalation()
    {
        PriorEscalations++;
        Version++;
    }

    /// <summary>Sees one event; the same event again (the next monitor of the run passing it on) changes nothing.</summary>
    /// <param name="runEvent">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runEvent"/> is <see langword="null"/>.</exception>
    public void Observe(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (ReferenceEquals(runEvent, _lastSeen))
        {
            return;
        }

        _lastSeen = runEvent;
        Version++;
        Now = runEvent.Timestamp;
        switch (runEvent)
        {
            case MessageEvent { Role: MessageRole.User } m when m.Content.Length > 0:
                OnCustomer(m);
                break;
            case MessageEvent { Role: MessageRole.Assistant } m when m.Content.Length > 0:
                AgentTurns++;
                LastSpeaker = MessageRole.Assistant;
                if (AbstentionPattern().IsMatch(m.Content))
                {
                    _abstentions.Add(m.Sequence);
                }

                break;
            case ToolCallEvent call:
                if (agent.Handoff.Tools.Contains(call.Call.ToolName))
                {
                    PriorEscalations++;
                }

                if (call.Call.TryParseArguments(out var args, out _))
                {
                    Money(args, null, "tool_call", call.Sequence);
                }

                break;
            case ToolResultEvent result:
                OnResult(result);
                break;
        }
    }

    private void OnCustomer(MessageEvent m)
    {
        FirstCustomerAt ??= m.Timestamp;
        LastSpeaker = MessageRole.User;
        _customer.Add(new CustomerTurn(m.Sequence, sentiment.Compound(m.Content), m.Timestamp));
        _customerTexts.Add((m.Content, m.Sequence));
        _topicStale = true;
        if (ConfusionPattern().IsMatch(m.Content))
        {
            _confused.Add(m.Sequence);
        }

        if (HumanRequestPattern().IsMatch(m.Content))
        {
            _humanAsks.Add(m.Sequence);
        }

        foreach (Match money in CurrencyPattern().Matches(m.Content))
        {
            foreach (var atom in Provenance.ValueNormalizer.Extract(money.Value).Where(a => a.Kind == "amount"))
            {
                Keep("customer", atom.Value, m.Sequence);
            }
        }

        var words = RepeatedQuestionMonitor.Words(m.Content);
        if (words.Count >= RepeatedQuestionMonitor.MinWords)
        {
            if (_asked.Exists(e => RepeatedQuestionMonitor.Similarity(e.Words, words) >= RepeatedQuestionMonitor.Threshold))
            {
                _repeats.Add(m.Sequence);
            }

            _asked.Add((words, m.Sequence));
        }
    }

    private void OnResult(ToolResultEvent result)
    {
        object? json = null;
        var output = result.Result.Output;
        if (output.Length > 0 && output[0] is '{' or '[')
        {
            try
            {
                using var document = JsonDocument.Parse(output);
                json = document.RootElement.Clone();
                Money(document.RootElement, null, "tool_result", result.Sequence);
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        var error = result.Result.Status != ToolResultStatus.Ok;
        if (error)
        {
            _errors.Add(result.Sequence);
        }
        else if (agent.Tools.TryGet(result.ToolName, out var tool) && tool.Type == ToolType.Write)
        {
            SuccessfulWrites++;
        }

        _results.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tool"] = result.ToolName,
            ["output"] = output,
            ["json"] = json,
            ["error"] = error,
            ["sequence"] = result.Sequence,
        });
    }

    /// <summary>Walks JSON for numbers under money-named properties (<see cref="MoneyKeyPattern"/>).</summary>
    private void Money(JsonElement element, string? key, string source, long sequence)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Money(property.Value, property.Name, source, sequence);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Money(item, key, source, sequence);
                }

                break;
            case JsonValueKind.Number or JsonValueKind.String when key is not null && MoneyKeyPattern().IsMatch(key):
                foreach (var atom in Provenance.ValueNormalizer.ForArgument(element).Where(a => a.Kind == "amount"))
                {
                    Keep(source, atom.Value, sequence);
                }

                break;
        }
    }

    private void Keep(string source, string normalized, long sequence)
    {
        if (double.TryParse(normalized, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount)
            && (!_maxAmount.TryGetValue(source, out var current) || amount > current.Amount))
        {
            _maxAmount[source] = (amount, sequence);
        }
    }

    /// <summary>An assistant message that abstains or refuses: "I don't have that information" (the abstention sentence of the
    /// knowledge-base design), "I'm unable to", "I cannot help/process/…".</summary>
    [GeneratedRegex(@"\b(i (do not|don't|don’t) have (that|this|the) information|i('m|’m| am) (unable|not able) to|i (cannot|can't|can’t) (help|assist|process|do|provide|make|change|modify|offer|issue))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    public static partial Regex AbstentionPattern();

    /// <summary>A customer message saying they do not understand or do not know how to follow the agent.</summary>
    [GeneratedRegex(@"\b(i (do not|don't|don’t) understand|i('m|’m| am) (confused|lost|not sure (what|how|where|which))|what do you mean|that (doesn't|does not|doesn’t) make sense|i (don't|do not|don’t) (know|see) (how|where|what) to|i('m|’m| am) not following|can you explain)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    public static partial Regex ConfusionPattern();

    /// <summary>A customer message asking for a person: "speak to a human", "transfer me to an agent", "a real person", "a supervisor".</summary>
    [GeneratedRegex(@"\b((speak|talk|chat) (to|with) (a |an |your )?(human|person|real person|representative|supervisor|manager|live agent|human agent)|transfer (me )?to (a |an )?(human|person|representative|supervisor|manager|live agent|human agent)|(a )?real person|human (agent|representative))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    public static partial Regex HumanRequestPattern();

    [GeneratedRegex(@"([$€£]\s?\d[\d,]*(\.\d+)?|\b\d[\d,]*(\.\d+)?\s?(dollars|usd|eur|euros|gbp)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex CurrencyPattern();

    /// <summary>Property names that hold money: amount, price, cost, fee, refund, balance, total, payment, compensation, charge.</summary>
    [GeneratedRegex(@"(amount|price|cost|fee|refund|balance|total|payment|compensation|charge)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    public static partial Regex MoneyKeyPattern();
}

/// <summary>One customer message's sentiment.</summary>
/// <param name="Sequence">Its event sequence.</param>
/// <param name="Compound">VADER compound, mean over sentences, in [−1, 1].</param>
/// <param name="At">When it was written.</param>
public sealed record CustomerTurn(long Sequence, double Compound, DateTimeOffset At)
{
    /// <summary>VADER's class of <see cref="Compound"/> (±0.05).</summary>
    public SentimentPolarity Polarity => SentimentScores.Classify(Compound, VaderConstants.CompoundThreshold);
}
