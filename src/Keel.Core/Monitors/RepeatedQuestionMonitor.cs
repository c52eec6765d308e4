using Keel.Model;

namespace Keel.Monitors;

/// <summary>Repeated user question: the customer sends a message that repeats an earlier one of theirs (word-set Jaccard similarity
/// ≥ <see cref="Threshold"/>, at least <see cref="MinWords"/> words) — a sign the agent did not answer or did not understand.</summary>
public sealed class RepeatedQuestionMonitor : IRunMonitor
{
    /// <summary>Jaccard similarity over lower-cased word sets at or above which two messages are the same question. Value: 0.8.</summary>
    public const double Threshold = 0.8;

    /// <summary>Shorter messages ("yes", "thanks") are never repeats. Value: 5 words.</summary>
    public const int MinWords = 5;

    /// <inheritdoc />
    public string Name => "repeated_question";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent) => new Session(this);

    internal static HashSet<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split([' ', '\t', '\n', '\r', ',', '.', '!', '?', ';', ':', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Jaccard similarity of two word sets, 0–1.</summary>
    /// <param name="a">One set.</param>
    /// <param name="b">The other.</param>
    internal static double Similarity(HashSet<string> a, HashSet<string> b)
    {
        var shared = a.Count(b.Contains);
        return shared / (double)(a.Count + b.Count - shared);
    }

    private sealed class Session(RepeatedQuestionMonitor owner) : IMonitorSession
    {
        private readonly List<(HashSet<string> Words, long Sequence)> _earlier = [];

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            if (runEvent is not MessageEvent { Role: MessageRole.User } message)
            {
                return;
            }

            var words = Words(message.Content);
            if (words.Count < MinWords)
            {
                return;
            }

            foreach (var (earlier, sequence) in _earlier)
            {
                var similarity = Similarity(earlier, words);
                if (similarity >= Threshold)
                {
                    findings.Add(new Finding(TagTypes.RepeatedQuestion, FindingSeverity.Medium,
                        $"the customer repeated an earlier message (similarity {similarity:0.00}): \"{(message.Content.Length > 120 ? message.Content[..120] + "…" : message.Content)}\"",
                        [sequence, message.Sequence], owner.Name));
                    break;
                }
            }

            _earlier.Add((words, message.Sequence));
        }

        public void Complete(ICollection<Finding> findings)
        {
        }
    }
}
