using System.Globalization;
using Keel.Escalation;
using Keel.Failures;
using Keel.Interventions;
using Keel.Model;
using Keel.Sentiment;

namespace Keel.Monitors;

/// <summary>Evaluates the agent version's escalation rules (<see cref="AgentVersion.Escalation"/>) after every customer message, agent
/// message and tool result: a rule that fires adds an <see cref="TagTypes.Escalation"/> finding and a handoff packet with the rule's
/// team and priority, the sentiment trend, the stakes, the tags so far and the events it rests on; <see cref="RunMonitors"/> then moves
/// the run to <see cref="RunStatus.HandedOff"/>. Each rule fires at most once per run. The same in replay and live. Reads the run's
/// <see cref="ConversationSignals"/> from <paramref name="sentiment"/> (<see cref="SentimentMonitor.Signals"/>), shared with the other
/// monitors built over that instance.</summary>
/// <param name="sentiment">The sentiment monitor whose per-run signal sets this monitor reads.</param>
public sealed class EscalationMonitor(SentimentMonitor sentiment) : IRunMonitor
{
    /// <summary>A monitor reading the signal sets of <see cref="SentimentMonitor.Shared"/>.</summary>
    public EscalationMonitor()
        : this(SentimentMonitor.Shared)
    {
    }

    /// <inheritdoc />
    public string Name => "escalation";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(sentiment);
        return new Session(this, run, agent, sentiment.Signals(run, agent));
    }

    /// <summary>The sentiment line of a handoff packet: the trend and each customer message's compound, e.g. <c>declining: +0.40 → −0.62</c>.</summary>
    /// <param name="signals">The run's signals.</param>
    /// <returns>The line.</returns>
    public static string SentimentTrend(ConversationSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var turns = signals.Customer;
        if (turns.Count == 0)
        {
            return "no customer message";
        }

        var trend = turns.Count < 2 || turns[^1].Polarity == turns[0].Polarity ? "steady" : turns[^1].Polarity < turns[0].Polarity ? "declining" : "improving";
        var shown = turns.Count <= 8 ? turns : [.. turns.Take(3), .. turns.Skip(turns.Count - 5)];
        return $"{trend} {turns[^1].Polarity.ToString().ToLowerInvariant()}: " + string.Join(" → ", shown.Select(t => t.Compound.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture)));
    }

    private sealed class Session(EscalationMonitor owner, Run run, AgentVersion agent, ConversationSignals signals) : IMonitorSession, IHandoffSource, IPauseSource
    {
        private readonly HashSet<string> _fired = new(StringComparer.Ordinal);
        private readonly EscalationActivation _activation = new(signals);
        private HandoffPacket? _pending;
        private EscalationRule? _pause;

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            signals.Observe(runEvent);
            if (runEvent is not (MessageEvent { Role: MessageRole.User or MessageRole.Assistant } or ToolResultEvent) || agent.Escalation.Rules.Count == 0)
            {
                return;
            }

            foreach (var rule in agent.Escalation.Rules)
            {
                if (_fired.Contains(rule.Name) || !rule.Fires(_activation))
                {
                    continue;
                }

                _fired.Add(rule.Name);
                var evidence = Evidence(rule, runEvent.Sequence);
                if (rule.Action == EscalationAction.Pause)
                {
                    findings.Add(new Finding(TagTypes.Escalation, FindingSeverity.High,
                        $"escalation rule '{rule.Name}' fired: paused for an operator of {rule.Team} ({rule.Priority}): {rule.Reason}", evidence, owner.Name));
                    _pause ??= rule;
                }
                else
                {
                    findings.Add(new Finding(TagTypes.Escalation, FindingSeverity.High,
                        $"escalation rule '{rule.Name}' fired: to {rule.Team} ({rule.Priority}): {rule.Reason}", evidence, owner.Name));
                    _pending ??= Packet(rule, evidence);

                    // history.prior_escalations counts handoffs only: a pause hands nothing over.
                    signals.CountEscalation();
                }
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }

        public HandoffPacket? TakeHandoff()
        {
            var packet = _pending;
            _pending = null;
            return packet;
        }

        public InterventionEvent? TakePause()
        {
            var rule = _pause;
            _pause = null;
            return rule is null ? null : new InterventionEvent(InterventionActions.Pause, EscalationActors.Rule(rule.Name)) { Note = rule.Reason };
        }

        private List<long> Evidence(EscalationRule rule, long current)
        {
            var set = new SortedSet<long> { current };
            var variables = rule.Condition.Variables;
            if (variables.Contains("sentiment") || variables.Contains("message"))
            {
                set.UnionWith(signals.Customer.Where(t => t.Polarity == SentimentPolarity.Negative).Select(t => t.Sequence));
                if (signals.Customer.Count > 0)
                {
                    set.Add(signals.Customer[^1].Sequence);
                }
            }

            if (variables.Contains("stakes") && signals.LargestAmount is { } amount)
            {
                set.Add(amount.Sequence);
            }

            if (variables.Contains("topic") && signals.Topic is { } topic)
            {
                set.UnionWith(topic.Evidence);
            }

            if (variables.Contains("agent"))
            {
                set.UnionWith(signals.Abstentions);
                set.UnionWith(signals.Errors);
            }

            if (variables.Contains("history"))
            {
                set.UnionWith(signals.Repeats);
                set.UnionWith(signals.Confused);
                set.UnionWith(signals.HumanAsks);
            }

            return [.. set];
        }

        private HandoffPacket Packet(EscalationRule rule, List<long> evidence)
        {
            var packet = HandoffPacketBuilder.Build(run, $"escalation rule '{rule.Name}': {rule.Reason}", rule.Team, agent.Handoff.Tools);
            var tags = run.Events.OfType<FindingEvent>().Select(f => f.Finding.Type).Append(TagTypes.Escalation);
            if (signals.Topic is { } topic)
            {
                tags = tags.Append(TagTypes.Topic(topic.Topic.Name));
            }

            var largest = signals.LargestAmount;
            return packet with
            {
                Rule = rule.Name,
                Priority = rule.Priority,
                SentimentTrend = SentimentTrend(signals),
                Stakes = largest is { } l ? $"largest amount {l.Amount.ToString("0.##", CultureInfo.InvariantCulture)} ({l.Source.Replace('_', ' ')}, event {l.Sequence})" : "no amount in the conversation or its tool calls",
                Tags = [.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                Evidence = evidence,
                SuggestedNextAction = $"take the conversation over ({rule.Team}, {rule.Priority}): {rule.Reason}",
            };
        }
    }
}

/// <summary>A monitor session that can hand its run to a human: <see cref="RunMonitors"/> takes the packet after each event and moves
/// the run to <see cref="RunStatus.HandedOff"/>.</summary>
internal interface IHandoffSource
{
    /// <summary>The packet of a handoff decided since the last call, or <see langword="null"/>.</summary>
    HandoffPacket? TakeHandoff();
}

/// <summary>A monitor session that can pause its run for an operator: <see cref="RunMonitors"/> takes the intervention after each event
/// and, when the run is active or awaiting approval, moves it to <see cref="RunStatus.Paused"/> and appends the event.</summary>
internal interface IPauseSource
{
    /// <summary>The pause decided since the last call (its actor and note set), or <see langword="null"/>.</summary>
    InterventionEvent? TakePause();
}
