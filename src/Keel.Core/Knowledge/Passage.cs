namespace Keel.Knowledge;

/// <summary>One retrievable piece of a knowledge-base document: a heading's section or a paragraph run, with the access-control
/// list of its document and its embedding.</summary>
/// <param name="Id">Stable id, <c>{DocumentId}#{index}</c> with a 0-based index in document order.</param>
/// <param name="DocumentId">The document it was split from.</param>
/// <param name="Text">The passage's text (its heading path first, then the body), at most
/// <see cref="RetrievalOptions.MaxPassageChars"/> characters unless one paragraph is longer.</param>
/// <param name="Groups">The groups allowed to read it (ordinal, case-insensitive); never empty — a document without groups has
/// <see cref="KnowledgeGroups.Everyone"/>.</param>
/// <param name="Vector">The embedding of <paramref name="Text"/>, scaled to unit length (so a dot product is the cosine).</param>
public sealed record Passage(string Id, string DocumentId, string Text, IReadOnlySet<string> Groups, float[] Vector);

/// <summary>A document to add to a knowledge base, before it is split and embedded.</summary>
/// <param name="Id">The document's id, unique in its workspace's knowledge base (adding the same id again replaces the document).</param>
/// <param name="Text">Markdown or plain text, without front matter.</param>
/// <param name="Groups">The groups allowed to read it; empty means <see cref="KnowledgeGroups.Everyone"/>.</param>
public sealed record KnowledgeDocument(string Id, string Text, IReadOnlyCollection<string> Groups);

/// <summary>Names and normalization of access-control groups.</summary>
public static class KnowledgeGroups
{
    /// <summary>The group of a document that names none: <c>everyone</c>. An asker always belongs to it.</summary>
    public const string Everyone = "everyone";

    /// <summary>The comparer for group names: ordinal, case-insensitive.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>A document's access-control list: the trimmed, non-empty names, or <see cref="Everyone"/> when there are none.</summary>
    /// <param name="groups">The names as given.</param>
    /// <returns>The set (ordinal, case-insensitive).</returns>
    public static IReadOnlySet<string> ForDocument(IEnumerable<string>? groups)
    {
        var set = Normalize(groups);
        if (set.Count == 0)
        {
            set.Add(Everyone);
        }

        return set;
    }

    /// <summary>An asker's groups: the trimmed, non-empty names plus <see cref="Everyone"/>.</summary>
    /// <param name="groups">The names as given (may be <see langword="null"/>: only <see cref="Everyone"/>).</param>
    /// <returns>The set (ordinal, case-insensitive).</returns>
    public static IReadOnlySet<string> ForAsker(IEnumerable<string>? groups)
    {
        var set = Normalize(groups);
        set.Add(Everyone);
        return set;
    }

    private static HashSet<string> Normalize(IEnumerable<string>? groups)
    {
        var set = new HashSet<string>(Comparer);
        foreach (var group in groups ?? [])
        {
            if (!string.IsNullOrWhiteSpace(group))
            {
                set.Add(group.Trim());
            }
        }

        return set;
    }
}
