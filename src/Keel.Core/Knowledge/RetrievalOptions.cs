namespace Keel.Knowledge;

/// <summary>Settings of knowledge-base retrieval: the abstention threshold, the number of hits and the passage size.</summary>
public sealed class RetrievalOptions
{
    /// <summary>The product's default abstention threshold on cosine similarity: 0.55 (product brief, "abstain below a similarity
    /// threshold (0.55 on cosine by default)"; seed rule: "if retrieval similarity score is below 0.55, the agent says 'I don't have
    /// that information. Let me get a teammate.'"). docs/grounding.md says what it means for all-MiniLM-L6-v2.</summary>
    public const double DefaultAbstainBelow = 0.55;

    /// <summary>What the agent says when it abstains (the seed rule's sentence).</summary>
    public const string AbstainMessage = "I don't have that information. Let me get a teammate.";

    /// <summary>The cosine similarity below which the best passage does not count as an answer, and the decision is
    /// <see cref="RetrievalDecision.AbstainAndHandOff"/>. Range −1 … 1.</summary>
    /// <value>The default is 0.55 (<see cref="DefaultAbstainBelow"/>).</value>
    public double AbstainBelow { get; set; } = DefaultAbstainBelow;

    /// <summary>How many passages a search returns when the caller does not say, 1 … <see cref="MaxTop"/>.</summary>
    /// <value>The default is 3.</value>
    public int DefaultTop { get; set; } = 3;

    /// <summary>The most passages one search may return.</summary>
    /// <value>The default is 50.</value>
    public int MaxTop { get; set; } = 50;

    /// <summary>The longest passage the splitter builds, in characters (UTF-16 code units); a single longer paragraph is cut at
    /// sentence or word boundaries. 200 … 8 000. Shorter passages score higher against a one-sentence question with all-MiniLM-L6-v2
    /// (docs/grounding.md: on the tau airline policy, a bag-allowance question scores 0.547 against 1 000-character passages, 0.561 against
    /// 500, 0.623 against 300).</summary>
    /// <value>The default is 500.</value>
    public int MaxPassageChars { get; set; } = 500;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its range.</exception>
    public void Validate()
    {
        if (double.IsNaN(AbstainBelow) || AbstainBelow < -1 || AbstainBelow > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AbstainBelow), AbstainBelow, "RetrievalOptions.AbstainBelow is a cosine similarity: set it between -1 and 1 (default 0.55).");
        }

        if (MaxTop is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTop), MaxTop, "RetrievalOptions.MaxTop must be between 1 and 1000 (default 50).");
        }

        if (DefaultTop < 1 || DefaultTop > MaxTop)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTop), DefaultTop, $"RetrievalOptions.DefaultTop must be between 1 and MaxTop ({MaxTop}); the default is 3.");
        }

        if (MaxPassageChars is < 200 or > 8000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPassageChars), MaxPassageChars, "RetrievalOptions.MaxPassageChars must be between 200 and 8000 (default 500).");
        }
    }
}
