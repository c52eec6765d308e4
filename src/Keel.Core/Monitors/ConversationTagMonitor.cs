using Keel.Escalation;
using Keel.Model;
using Keel.Sentiment;

namespace Keel.Monitors;

/// <summary>Tags every run when it ends, each tag with a confidence and the events it rests on: its topic (the agent's taxonomy,
/// <see cref="TopicTaxonomy"/>), its outcome (<see cref="TagTypes.Outcomes"/>), whether the customer repeated a question and whether
/// the customer was confused.</summary>
/// <remarks>
/// <para>Outcome, first rule that holds: <c>escalated</c> (an escalation finding or a handoff-tool call: a fact of the record, confidence 1);
/// <c>failed</c> (Keel stopped the run for budget or loop, or the agent's last tool result is an error — a call not executed is not one: 0.8); <c>abandoned</c> (the
/// customer spoke last, after at least one agent reply, and that message was negative or repeated an earlier one: 0.6);
/// <c>deflected</c> (the agent abstained or refused and made no successful write: 0.6); <c>resolved</c> (otherwise: 0.8 with a
/// successful write or a positive last customer message, else 0.5).</para>
/// <para>The confidences are the documented strength of each lexical rule (a fact of the record, a rule with one cue, a default), not
/// calibrated probabilities; <c>docs/escalation.md</c> measures the topic tag on tau2 telecom.</para>
/// <para>Reads the run's <see cref="ConversationSignals"/> from the sentiment monitor it is built over (<see cref="SentimentMonitor.Signals"/>).</para>
/// </remarks>
/// <param name="sentiment">The sentiment monitor whose per-run signal sets this monitor reads.</param>
public sealed class ConversationTagMonitor(SentimentMonitor sentiment) : IRunMonitor
{
    /// <summary>A monitor reading the signal sets of <see cref="SentimentMonitor.Shared"/>.</summary>
    public ConversationTagMonitor()
        : this(SentimentMonitor.Shared)
    {
    }

    /// <inheritdoc />
    public string Name => "conversation_tags";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(sentiment);
        return new Session(this, run, sentiment.Signals(run, agent));
    }

    private sealed class Session(ConversationTagMonitor owner, Run run, ConversationSignals signals) : IMonitorSession
    {
        // The ids of the tool calls proposed so far: those already on the run when the session starts (a live run loaded from the
        // store), then each one as it is observed.
        private readonly HashSet<string> _callIds = [.. run.Events.OfType<ToolCallEvent>().Select(c => c.Call.Id)];
        private long _lastAgentResult = -1;
        private bool _lastAgentResultFailed;

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            signals.Observe(runEvent);
            if (runEvent is ToolCallEvent call)
            {
                _callIds.Add(call.Call.Id);
            }

            if (runEvent is ToolResultEvent result && _callIds.Contains(result.Result.CallId))
            {
                _lastAgentResult = result.Sequence;
                _lastAgentResultFailed = result.Result.Status == ToolResultStatus.Error;
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
            if (signals.Topic is { } topic)
            {
                findings.Add(Tag(TagTypes.Topic(topic.Topic.Name), $"topic {topic.Topic.Name}: {topic.Points} phrase(s) of it in the customer's words", topic.Evidence, topic.Confidence));
            }

            findings.Add(Outcome());
            if (signals.Repeats.Count > 0)
            {
                findings.Add(Tag(TagTypes.CustomerRepeatedQuestion, $"the customer repeated a question {signals.Repeats.Count} time(s)", signals.Repeats, Math.Min(1, 0.6 + (0.2 * (signals.Repeats.Count - 1)))));
            }

            if (signals.Confused.Count > 0)
            {
                findings.Add(Tag(TagTypes.ConfusedCustomer, $"the customer said {signals.Confused.Count} time(s) that they did not understand", signals.Confused, Math.Min(1, 0.6 + (0.2 * (signals.Confused.Count - 1)))));
            }
        }

        private Finding Outcome()
        {
            var escalations = run.Events.OfType<FindingEvent>().Where(f => f.Finding.Type == TagTypes.Escalation).SelectMany(f => f.Finding.EventSequences).ToList();
            var stopped = run.Failures.Any(f => f.Class is FailureClass.Budget or FailureClass.Loop);
            var last = signals.Customer.Count > 0 ? signals.Customer[^1] : null;
            if (escalations.Count > 0 || signals.PriorEscalations > 0)
            {
                var transfers = run.Events.OfType<ToolCallEvent>().Where(c => run.Events.OfType<FindingEvent>().Any(f => f.Finding.Type == "human_transfer" && f.Finding.EventSequences.Contains(c.Sequence))).Select(c => c.Sequence);
                return Tag(TagTypes.OutcomeEscalated, "the run went to a human", [.. escalations.Concat(transfers).Distinct().Order()], 1.0);
            }

            if (stopped || _lastAgentResultFailed)
            {
                return Tag(TagTypes.OutcomeFailed, stopped ? "Keel stopped the run" : "the agent's last tool call failed", _lastAgentResult > 0 ? [_lastAgentResult] : [], 0.8);
            }

            if (last is not null && signals.LastSpeaker == MessageRole.User && signals.AgentTurns > 0
                && (last.Polarity == SentimentPolarity.Negative || signals.Repeats.Contains(last.Sequence)))
            {
                return Tag(TagTypes.OutcomeAbandoned, "the customer's last message, negative or repeated, went unanswered", [last.Sequence], 0.6);
            }

            if (signals.Abstentions.Count > 0 && signals.SuccessfulWrites == 0)
            {
                return Tag(TagTypes.OutcomeDeflected, "the agent refused or abstained and did nothing for the customer", signals.Abstentions, 0.6);
            }

            var strong = signals.SuccessfulWrites > 0 || last?.Polarity == SentimentPolarity.Positive;
            return Tag(TagTypes.OutcomeResolved, "the run ended without escalation, failure or refusal", last is null ? [] : [last.Sequence], strong ? 0.8 : 0.5);
        }

        private Finding Tag(string type, string message, IReadOnlyList<long> events, double confidence) =>
            new(type, FindingSeverity.Info, message, events, owner.Name) { Confidence = Math.Round(confidence, 3) };
    }
}
