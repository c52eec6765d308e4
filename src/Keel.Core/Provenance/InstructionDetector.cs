using System.Text.RegularExpressions;

namespace Keel.Provenance;

/// <summary>
/// Finds text addressed to the agent inside data: instructions that try to add a goal the user never gave (indirect prompt
/// injection, OWASP LLM01:2025; Greshake et al. 2023, arXiv:2302.12173). Deterministic and explainable: a text is flagged when it
/// contains one strong marker — an override ("ignore previous instructions"), a message addressed to the model by name or role
/// ("to you, GPT-4", "as an AI assistant"), a fake control tag (<c>&lt;INFORMATION&gt;</c>, <c>[SYSTEM]</c>), or a demand to act before
/// the user's task ("before you can solve the task") — or two weak markers (e.g. "please do the following", "do not tell the user").
/// The marker lists come from published attack collections (the AgentDojo attacks, arXiv:2406.13352; the "ignore previous
/// instructions" family, Perez and Ribeiro 2022, arXiv:2211.09527); they catch the common templates, not every paraphrase. Thread-safe.
/// </summary>
public static partial class InstructionDetector
{
    /// <summary>Looks for instructions addressed to the agent.</summary>
    /// <param name="text">Untrusted text (a mail body, web page, file, message, review).</param>
    /// <returns>The marker that decided, quoted from the text, or <see langword="null"/> when none.</returns>
    public static string? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return null;
        }

        var strong = StrongMarkers().Match(text);
        if (strong.Success)
        {
            return strong.Value;
        }

        var weak = WeakMarkers().Matches(text);
        return weak.Count >= 2 ? $"{weak[0].Value} … {weak[1].Value}" : null;
    }

    [GeneratedRegex(
        @"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|original|other)\s+(?:instructions?|prompts?|messages?|tasks?|rules)"
        + @"|\bto\s+you,?\s+(?:gpt|claude|gemini|llama|mistral|chatgpt|the\s+(?:ai|assistant|model|agent)|ai\s+assistant|(?:an?\s+)?(?:ai|language)\s+model)"
        + @"|\b(?:dear|attention|hey|hi)\s+(?:ai|assistant|agent|gpt|claude|language\s+model|llm)\b"
        + @"|\bas\s+an?\s+(?:ai|language\s+model|llm)\s+(?:assistant|agent|model)?\s*,?\s*you\s+(?:must|should|need|have\s+to|will)"
        + @"|<\s*/?\s*(?:information|instructions?|system|important|admin|sys)\s*>|\[\s*/?\s*(?:system|inst|admin)\s*\]"
        + @"|\bbefore\s+you\s+(?:can\s+)?(?:solve|complete|continue|do|finish|answer|proceed\s+with)\s+(?:the|your|this|my)\s+(?:task|request|job)"
        + @"|\bnew\s+(?:instructions?|task)\s+(?:for\s+(?:the\s+)?(?:ai|assistant|agent|you))"
        + @"|\bthis\s+is\s+an?\s+important\s+message\s+from\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StrongMarkers();

    [GeneratedRegex(
        @"\bplease\s+do\s+the\s+following\b|\bafter\s+you\s+do\s+that\b|\byou\s+must\s+(?:now\s+)?(?:send|transfer|forward|delete|email|visit|invite|pay)\b"
        + @"|\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention\s+(?:this\s+)?to|alert)\s+the\s+user\b|\bwithout\s+(?:telling|informing|asking)\s+the\s+user\b"
        + @"|\bthe\s+user\s+(?:has\s+)?(?:asked|wants|authori[sz]ed)\s+you\b|\bsigned,?\s*\n|\binstead\s*,?\s+(?:you\s+should|send|transfer|forward)\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WeakMarkers();
}
