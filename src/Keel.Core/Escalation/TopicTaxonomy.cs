using System.Text.RegularExpressions;

namespace Keel.Escalation;

/// <summary>An agent's topic taxonomy and the lexical classifier over it (<see cref="Classify"/>): the customer's first message that names
/// a topic decides. Thread-safe.</summary>
/// <remarks>Confidence is the winner's share of every topic's points (1 when only one topic is named), a documented estimate of how
/// unambiguous the customer's words are, not a calibrated probability.</remarks>
public sealed class TopicTaxonomy
{
    private readonly (Topic Topic, Regex[] Patterns)[] _topics;

    /// <summary>Creates a taxonomy.</summary>
    /// <param name="topics">The topics in order of declaration.</param>
    public TopicTaxonomy(IReadOnlyList<Topic> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        Topics = topics;
        _topics = [.. topics.Select(t => (t, t.Phrases.Select(p => new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(p.ToLowerInvariant())}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToArray()))];
    }

    /// <summary>No topics: every conversation is unclassified.</summary>
    public static TopicTaxonomy Empty { get; } = new([]);

    /// <summary>The topics in order of declaration.</summary>
    public IReadOnlyList<Topic> Topics { get; }

    /// <summary>Classifies a conversation by the customer's actual ask: the customer's messages are read in order, each topic scoring one
    /// point per distinct phrase of it in a message; the first message that names any topic decides, and a tie there is broken by the
    /// messages after it.</summary>
    /// <param name="messages">The customer's messages with their event sequence numbers, in run order.</param>
    /// <returns>The topic, or <see langword="null"/> when no phrase of any topic occurs.</returns>
    public TopicMatch? Classify(IReadOnlyList<(string Text, long Sequence)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var points = new int[_topics.Length];
        var evidence = _topics.Select(_ => new List<long>()).ToArray();
        foreach (var (text, sequence) in messages)
        {
            var lowered = text.ToLowerInvariant();
            for (var i = 0; i < _topics.Length; i++)
            {
                var hits = _topics[i].Patterns.Count(p => p.IsMatch(lowered));
                if (hits > 0)
                {
                    points[i] += hits;
                    evidence[i].Add(sequence);
                }
            }

            var max = (points.Length == 0 ? 0 : points.Max());
            if (max > 0 && points.Count(p => p == max) == 1)
            {
                var winner = Array.IndexOf(points, max);
                return new TopicMatch(_topics[winner].Topic, max, max / (double)points.Sum(), evidence[winner][0], evidence[winner]);
            }
        }

        var best = (points.Length == 0 ? 0 : points.Max());
        if (best == 0)
        {
            return null;
        }

        // Still tied at the end: the topic declared first among the tied ones, at the confidence of a tie.
        var first = Array.IndexOf(points, best);
        return new TopicMatch(_topics[first].Topic, best, best / (double)points.Sum(), evidence[first][0], evidence[first]);
    }
}

/// <summary>A conversation's topic.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Points">Distinct phrases of it found.</param>
/// <param name="Confidence">Its share of every topic's points, 0–1.</param>
/// <param name="FirstSequence">The first customer message naming it.</param>
/// <param name="Evidence">The customer messages naming it, in run order.</param>
public sealed record TopicMatch(Topic Topic, int Points, double Confidence, long FirstSequence, IReadOnlyList<long> Evidence);
