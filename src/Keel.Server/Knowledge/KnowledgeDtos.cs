namespace Keel.Server.Knowledge;

/// <summary>The body of <c>PUT /v1/knowledge/documents/{document_id}</c>.</summary>
/// <param name="Text">Markdown or plain text; it may open with the folder loader's front matter (<c>---</c>, <c>groups: [a, b]</c>, <c>---</c>).</param>
/// <param name="Groups">The groups allowed to read the document, when the text's front matter names none; absent or empty: everyone.</param>
public sealed record KnowledgeDocumentRequest(string? Text, IReadOnlyList<string>? Groups = null);

/// <summary>A stored knowledge document.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Groups">The groups allowed to read it, trimmed, ordinal order (<c>everyone</c> when none was named; compared ignoring case).</param>
/// <param name="Passages">How many passages it was split into.</param>
/// <param name="Text">The text without front matter (on <c>GET</c>); <see langword="null"/> in the answer of <c>PUT</c>.</param>
public sealed record KnowledgeDocumentInfo(string Id, IReadOnlyList<string> Groups, int Passages, string? Text);

/// <summary>The answer of <c>GET /v1/knowledge/search</c>.</summary>
/// <param name="Query">The question.</param>
/// <param name="Decision"><c>answer</c>, or <c>abstain_and_hand_off</c> when the best readable passage scores below the threshold (or there is none).</param>
/// <param name="BestScore">The best readable passage's cosine similarity; <see langword="null"/> when the asker may read no passage.</param>
/// <param name="Threshold">The abstention threshold (cosine; 0.55 by default).</param>
/// <param name="Hits">The best readable passages, best first (ties by passage id).</param>
public sealed record KnowledgeSearchAnswer(string Query, string Decision, double? BestScore, double Threshold, IReadOnlyList<KnowledgeHit> Hits);

/// <summary>One passage found.</summary>
/// <param name="PassageId">The passage id: <c>&lt;document id&gt;#&lt;index&gt;</c>.</param>
/// <param name="DocumentId">Its document.</param>
/// <param name="Text">The passage's text.</param>
/// <param name="Score">Cosine similarity to the question.</param>
public sealed record KnowledgeHit(string PassageId, string DocumentId, string Text, double Score);
