using Keel.Model;
using Keel.Replay;

namespace Keel.Knowledge;

/// <summary>One assistant turn of a recorded run, checked against a knowledge base.</summary>
/// <param name="RunId">The run.</param>
/// <param name="StepIndex">0-based index of the message among the run's steps.</param>
/// <param name="Question">The customer's last message before the answer (empty when none).</param>
/// <param name="Answer">The assistant's text.</param>
/// <param name="QuestionBestScore">Best cosine of the question against the passages the asker may read (the abstention score);
/// <see langword="null"/> without a question or passages.</param>
/// <param name="Retrieved">The passages retrieved for the answer (the answer as the query), best first.</param>
/// <param name="Assessment">The grounding check's verdict against <paramref name="Retrieved"/>.</param>
public sealed record GroundedTurn(string RunId, int StepIndex, string Question, string Answer, double? QuestionBestScore, IReadOnlyList<RetrievalHit> Retrieved, GroundingAssessment Assessment);

/// <summary>The grounding check over the assistant turns of recorded runs.</summary>
/// <param name="Turns">Every assistant turn with text, in run and step order.</param>
/// <param name="EmbeddedTexts">How many texts were embedded (question, answer and each checked sentence of every turn).</param>
/// <param name="EmbeddingTime">Wall time spent in the embedding generator.</param>
public sealed record GroundingEvaluation(IReadOnlyList<GroundedTurn> Turns, int EmbeddedTexts, TimeSpan EmbeddingTime)
{
    /// <summary>The turns marked unsupported.</summary>
    public int Unsupported => Turns.Count(t => t.Assessment.Verdict == GroundingVerdict.Unsupported);

    /// <summary>The share of turns marked unsupported, 0 … 1 (0 without turns).</summary>
    public double UnsupportedShare => Turns.Count == 0 ? 0 : (double)Unsupported / Turns.Count;

    /// <summary>Embedding time per assistant turn, in milliseconds (0 without turns).</summary>
    public double EmbeddingMsPerTurn => Turns.Count == 0 ? 0 : EmbeddingTime.TotalMilliseconds / Turns.Count;
}

/// <summary>Runs the grounding check on every assistant turn of recorded runs: the measurement of docs/grounding.md.</summary>
/// <remarks>For each assistant message with text: the passages are retrieved with the answer as the query (top k, the asker's groups),
/// the check scores the answer's sentences against them, and the customer's preceding question is scored too (what abstention
/// would have decided before the answer). Thread-safe when the generator is; turns are processed one at a time.</remarks>
public sealed class GroundingEvaluator
{
    private readonly KnowledgeBase _knowledgeBase;
    private readonly GroundingCheck _check;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the evaluator.</summary>
    /// <param name="knowledgeBase">The knowledge base, loaded.</param>
    /// <param name="check">The grounding check (same embedding model as the knowledge base).</param>
    /// <param name="timeProvider">Measures the embedding time.</param>
    public GroundingEvaluator(KnowledgeBase knowledgeBase, GroundingCheck check, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _knowledgeBase = knowledgeBase;
        _check = check;
        _timeProvider = timeProvider;
    }

    /// <summary>Checks every assistant turn of the runs.</summary>
    /// <param name="runs">The recorded runs.</param>
    /// <param name="generator">The embedding generator of the knowledge base (timed here).</param>
    /// <param name="askerGroups">The asker's groups for retrieval; <see langword="null"/>: <see cref="KnowledgeGroups.Everyone"/> only.</param>
    /// <param name="top">Passages retrieved per answer (at least 1).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The turns and the embedding cost.</returns>
    public async Task<GroundingEvaluation> EvaluateAsync(IAsyncEnumerable<RecordedRun> runs, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator, IEnumerable<string>? askerGroups, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var asker = KnowledgeGroups.ForAsker(askerGroups);
        var turns = new List<GroundedTurn>();
        var embedded = 0;
        var elapsed = TimeSpan.Zero;
        await foreach (var run in runs.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var question = string.Empty;
            for (var i = 0; i < run.Steps.Count; i++)
            {
                if (run.Steps[i] is not RecordedMessage message || string.IsNullOrWhiteSpace(message.Content))
                {
                    continue;
                }

                if (message.Role == MessageRole.User)
                {
                    question = message.Content;
                    continue;
                }

                if (message.Role != MessageRole.Assistant)
                {
                    continue;
                }

                var sentences = GroundingCheck.Sentences(message.Content);
                var texts = new List<string>(sentences.Count + 2) { message.Content, question };
                texts.AddRange(sentences);
                var started = _timeProvider.GetTimestamp();
                var vectors = await EmbeddingVectors.EmbedAsync(generator, texts, cancellationToken).ConfigureAwait(false);
                elapsed += _timeProvider.GetElapsedTime(started);
                embedded += texts.Count;

                var retrieved = _knowledgeBase.Search(message.Content, vectors[0], asker, top).Hits;
                double? questionScore = question.Length == 0 ? null : _knowledgeBase.Search(question, vectors[1], asker, 1).BestScore;
                var assessment = GroundingCheck.Assess(sentences, vectors[2..], [.. retrieved.Select(h => h.Passage)], _check.Threshold);
                turns.Add(new GroundedTurn(run.Id, i, question, message.Content, questionScore, retrieved, assessment));
            }
        }

        return new GroundingEvaluation(turns, embedded, elapsed);
    }
}
