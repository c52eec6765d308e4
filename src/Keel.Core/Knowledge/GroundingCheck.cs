using Microsoft.Extensions.AI;

namespace Keel.Knowledge;

/// <summary>Whether an answer is backed by the passages retrieved for it.</summary>
public enum GroundingVerdict
{
    /// <summary>At least one sentence of the answer scores at or above the threshold against a retrieved passage.</summary>
    Supported,

    /// <summary>No sentence of the answer scores at or above the threshold, or nothing was retrieved: "improvised, no KB hit".</summary>
    Unsupported,
}

/// <summary>How well one sentence of an answer is backed.</summary>
/// <param name="Sentence">The sentence.</param>
/// <param name="Score">Its best cosine against the passages, −1 … 1.</param>
/// <param name="PassageId">The passage that scored best.</param>
public sealed record SentenceSupport(string Sentence, double Score, string PassageId);

/// <summary>The grounding check's verdict on one answer.</summary>
/// <param name="Verdict">Supported or unsupported.</param>
/// <param name="Score">The best sentence's score (−1 … 1); <see langword="null"/> when no passage was retrieved.</param>
/// <param name="Threshold">The threshold the verdict used.</param>
/// <param name="Sentences">Every checked sentence with its best passage, in answer order (empty when no passage was retrieved).</param>
public sealed record GroundingAssessment(GroundingVerdict Verdict, double? Score, double Threshold, IReadOnlyList<SentenceSupport> Sentences);

/// <summary>Marks an assistant answer supported or unsupported against the passages retrieved for it.</summary>
/// <remarks>
/// <para>The rule: split the answer into sentences (at <c>.</c>, <c>!</c>, <c>?</c> followed by white space, and at line breaks); keep
/// those of at least <see cref="MinSentenceWords"/> words (all of them when none is that long); embed each; a sentence's score is its best
/// cosine against the retrieved passages; the answer's score is its best sentence's. Supported when that score is at or above the
/// threshold — by default <see cref="RetrievalOptions.AbstainBelow"/>, the same 0.55 that decides abstention, so "an answer the
/// knowledge base would have backed" and "a question it can answer" are measured on one scale.</para>
/// <para>Best sentence rather than every sentence: answers mix a claim with greetings and questions back to the customer, which no
/// passage backs. Per-sentence scores are returned for a stricter reading. Thread-safe when the generator is.</para>
/// </remarks>
public sealed class GroundingCheck
{
    /// <summary>The fewest words a sentence needs to be checked on its own: 4 (shorter ones are greetings and confirmations).</summary>
    public const int MinSentenceWords = 4;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly double _threshold;

    /// <summary>Creates the check.</summary>
    /// <param name="generator">Embeds the answer's sentences; must be the model that embedded the passages.</param>
    /// <param name="options">Supplies the threshold (<see cref="RetrievalOptions.AbstainBelow"/>); validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public GroundingCheck(IEmbeddingGenerator<string, Embedding<float>> generator, RetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _generator = generator;
        _threshold = options.AbstainBelow;
    }

    /// <summary>The threshold: a score at or above it is supported.</summary>
    public double Threshold => _threshold;

    /// <summary>Checks an answer against the passages retrieved for it.</summary>
    /// <param name="answer">The assistant's answer.</param>
    /// <param name="passages">The passages retrieved for it.</param>
    /// <param name="cancellationToken">Cancels the embedding.</param>
    /// <returns>The verdict with its score.</returns>
    public async Task<GroundingAssessment> AssessAsync(string answer, IReadOnlyList<Passage> passages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(passages);
        if (passages.Count == 0)
        {
            return new GroundingAssessment(GroundingVerdict.Unsupported, null, _threshold, []);
        }

        var sentences = Sentences(answer);
        var vectors = await EmbeddingVectors.EmbedAsync(_generator, sentences, cancellationToken).ConfigureAwait(false);
        return Assess(sentences, vectors, passages, _threshold);
    }

    /// <summary>The pure part of the check: scores embedded sentences against passages.</summary>
    /// <param name="sentences">The sentences.</param>
    /// <param name="vectors">Their unit vectors, one per sentence.</param>
    /// <param name="passages">The retrieved passages.</param>
    /// <param name="threshold">At or above it is supported.</param>
    /// <returns>The verdict.</returns>
    public static GroundingAssessment Assess(IReadOnlyList<string> sentences, IReadOnlyList<float[]> vectors, IReadOnlyList<Passage> passages, double threshold)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(passages);
        if (passages.Count == 0 || sentences.Count == 0)
        {
            return new GroundingAssessment(GroundingVerdict.Unsupported, null, threshold, []);
        }

        var supports = new SentenceSupport[sentences.Count];
        for (var i = 0; i < supports.Length; i++)
        {
            var best = double.NegativeInfinity;
            var bestId = passages[0].Id;
            foreach (var passage in passages)
            {
                var score = EmbeddingVectors.Cosine(vectors[i], passage.Vector);
                if (score > best)
                {
                    (best, bestId) = (score, passage.Id);
                }
            }

            supports[i] = new SentenceSupport(sentences[i], best, bestId);
        }

        var top = supports.Max(s => s.Score);
        return new GroundingAssessment(top >= threshold ? GroundingVerdict.Supported : GroundingVerdict.Unsupported, top, threshold, supports);
    }

    /// <summary>The sentences the check scores: those of at least <see cref="MinSentenceWords"/> words, or all when none is.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The sentences, trimmed, in order; the whole trimmed answer when it has no sentence end; empty for a blank answer.</returns>
    public static IReadOnlyList<string> Sentences(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var all = Text.Sentences.Split(answer);
        var checkable = all.Where(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinSentenceWords).ToList();
        return checkable.Count > 0 ? checkable : all;
    }
}
