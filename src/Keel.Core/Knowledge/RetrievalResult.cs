namespace Keel.Knowledge;

/// <summary>What a search decides.</summary>
public enum RetrievalDecision
{
    /// <summary>The best passage the asker may read scores at or above <see cref="RetrievalOptions.AbstainBelow"/>: answer from the hits.</summary>
    Answer,

    /// <summary>No passage the asker may read scores at or above the threshold (or there is none): say
    /// <see cref="RetrievalOptions.AbstainMessage"/> and hand off to a person.</summary>
    AbstainAndHandOff,
}

/// <summary>One passage a search returned.</summary>
/// <param name="Passage">The passage; always one whose groups meet the asker's.</param>
/// <param name="Score">Cosine similarity between the query and the passage, −1 … 1.</param>
public sealed record RetrievalHit(Passage Passage, double Score);

/// <summary>The answer of a search: the hits, best first, and the decision.</summary>
/// <remarks>It says nothing about passages the asker may not read: not their number, not their scores, not whether any exist. The hits
/// are ranked only among the passages the asker may read; ties are broken by passage id (ordinal), so the order does not depend on
/// foreign passages either.</remarks>
/// <param name="Query">The query as searched.</param>
/// <param name="Hits">Up to the requested number of passages, best score first.</param>
/// <param name="Decision">Answer, or abstain and hand off.</param>
/// <param name="BestScore">The best hit's score, or <see langword="null"/> when the asker may read no passage.</param>
/// <param name="Threshold">The <see cref="RetrievalOptions.AbstainBelow"/> the decision used.</param>
public sealed record RetrievalResult(string Query, IReadOnlyList<RetrievalHit> Hits, RetrievalDecision Decision, double? BestScore, double Threshold);
