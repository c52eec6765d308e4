using System.Globalization;
using System.Runtime.CompilerServices;
using Keel.Escalation;
using Keel.Model;
using Keel.Sentiment;

namespace Keel.Monitors;

/// <summary>Customer sentiment: scores every customer message with VADER (<see cref="SentimentAnalyzer"/>), signals a message that
/// turned negative right after an agent reply (<see cref="TagTypes.SentimentTurnedNegative"/>), and tags the run with the
/// customer's overall sentiment and its trend when the run ends.</summary>
/// <remarks>
/// <para>Classes follow VADER's published thresholds (Hutto &amp; Gilbert, ICWSM 2014; the reference implementation's README):
/// compound ≥ +0.05 positive, ≤ −0.05 negative, neutral between. A message of several sentences scores the mean compound of its
/// sentences, as the README advises for paragraphs. No other threshold is tuned here: "turned negative" is a change of class, the
/// trend compares the class of the first and the last customer message.</para>
/// <para>"This is unacceptable" after two calm turns is a turn; the same words as the opening message are not (no agent reply
/// came before them).</para>
/// <para>The monitor also owns each run's <see cref="ConversationSignals"/> (<see cref="Signals"/>): <see cref="EscalationMonitor"/> and
/// <see cref="ConversationTagMonitor"/> built over the same instance read the same set, so a customer message is scored once for all three.</para>
/// </remarks>
public sealed class SentimentMonitor(SentimentAnalyzer analyzer) : IRunMonitor
{
    private readonly ConditionalWeakTable<Run, ConversationSignals> _signals = new();

    /// <summary>A monitor over the shipped VADER lexicon.</summary>
    public SentimentMonitor()
        : this(SentimentAnalyzer.Default)
    {
    }

    /// <summary>The instance the standard monitors share (<see cref="RunMonitors.Standard"/>, the parameterless constructors of
    /// <see cref="EscalationMonitor"/> and <see cref="ConversationTagMonitor"/>): over the shipped VADER lexicon.</summary>
    public static SentimentMonitor Shared { get; } = new();

    /// <inheritdoc />
    public string Name => "sentiment";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent) => new Session(this, Signals(run, agent));

    /// <summary>The run's one signal set, created on first use and kept as long as the run object lives (a weak table: thread-safe,
    /// nothing to release).</summary>
    /// <param name="run">The run.</param>
    /// <param name="agent">Its agent version (handoff tools, tool types, topic taxonomy); the first caller's version builds the set.</param>
    /// <returns>The signals every monitor over this instance reads for <paramref name="run"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ConversationSignals Signals(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(agent);
        return _signals.GetValue(run, _ => new ConversationSignals(agent, this, agent.Escalation.Topics));
    }

    /// <summary>The compound score of a customer message: the mean over its sentences, in [−1, 1].</summary>
    /// <param name="text">The message.</param>
    /// <returns>The mean compound; 0 for text with no words.</returns>
    public double Compound(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = Text.Sentences.Split(text).Where(s => s.Any(char.IsLetterOrDigit)).ToList();
        return sentences.Count == 0 ? 0 : sentences.Average(s => analyzer.Score(s).Compound);
    }

    private sealed class Session(SentimentMonitor owner, ConversationSignals signals) : IMonitorSession
    {
        private readonly List<(double Compound, long Sequence)> _customer = [];
        private long? _agentReplySince;

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            signals.Observe(runEvent);
            if (runEvent is not MessageEvent message)
            {
                return;
            }

            if (message.Role == MessageRole.Assistant)
            {
                _agentReplySince = message.Sequence;
                return;
            }

            if (message.Role != MessageRole.User)
            {
                return;
            }

            // The signals scored every non-empty customer message as they saw it; an empty one has no words and scores 0. A message
            // the signals could not finish (a regex timeout) is skipped here as well.
            double compound = 0;
            if (message.Content.Length > 0)
            {
                if (signals.Customer.Count == 0 || signals.Customer[^1].Sequence != message.Sequence)
                {
                    return;
                }

                compound = signals.Customer[^1].Compound;
            }

            if (_customer.Count > 0 && _agentReplySince is { } reply
                && SentimentScores.Classify(compound, VaderConstants.CompoundThreshold) == SentimentPolarity.Negative
                && SentimentScores.Classify(_customer[^1].Compound, VaderConstants.CompoundThreshold) != SentimentPolarity.Negative)
            {
                findings.Add(new Finding(TagTypes.SentimentTurnedNegative, FindingSeverity.Medium,
                    $"the customer's sentiment turned negative after an agent reply (compound {F(_customer[^1].Compound)} → {F(compound)}): \"{Quote(message.Content)}\"",
                    [_customer[^1].Sequence, reply, message.Sequence], owner.Name));
            }

            _customer.Add((compound, message.Sequence));
            _agentReplySince = null;
        }

        public void Complete(ICollection<Finding> findings)
        {
            if (_customer.Count == 0)
            {
                return;
            }

            var mean = _customer.Average(c => c.Compound);
            var overall = SentimentScores.Classify(mean, VaderConstants.CompoundThreshold);
            var type = overall switch
            {
                SentimentPolarity.Negative => TagTypes.SentimentNegative,
                SentimentPolarity.Positive => TagTypes.SentimentPositive,
                _ => TagTypes.SentimentNeutral,
            };
            var sequences = _customer.Select(c => c.Sequence).ToList();
            findings.Add(new Finding(type, overall == SentimentPolarity.Negative ? FindingSeverity.Low : FindingSeverity.Info,
                $"customer sentiment {overall.ToString().ToLowerInvariant()}: mean VADER compound {F(mean)} over {_customer.Count} message(s)", sequences, owner.Name));

            if (_customer.Count < 2)
            {
                return;
            }

            var first = SentimentScores.Classify(_customer[0].Compound, VaderConstants.CompoundThreshold);
            var last = SentimentScores.Classify(_customer[^1].Compound, VaderConstants.CompoundThreshold);
            if (first != last)
            {
                // SentimentPolarity orders Negative < Neutral < Positive.
                var declining = last < first;
                findings.Add(new Finding(declining ? TagTypes.SentimentDeclining : TagTypes.SentimentImproving, declining ? FindingSeverity.Low : FindingSeverity.Info,
                    $"customer sentiment {(declining ? "declined" : "improved")} from {first.ToString().ToLowerInvariant()} ({F(_customer[0].Compound)}) to {last.ToString().ToLowerInvariant()} ({F(_customer[^1].Compound)})",
                    [_customer[0].Sequence, _customer[^1].Sequence], owner.Name));
            }
        }

        private static string F(double value) => value.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

        private static string Quote(string text) => text.Length > 120 ? text[..120] + "…" : text;
    }
}
