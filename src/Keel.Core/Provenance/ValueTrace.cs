using System.Text.Json;

namespace Keel.Provenance;

/// <summary>One value found in an argument and every place it was seen before the call.</summary>
/// <param name="Atom">The normalized value.</param>
/// <param name="Origins">Every kind of source it appeared in; <see cref="ValueOrigin.None"/> when the agent wrote it.</param>
/// <param name="Source">The first source seen, preferring one outside untrusted output; <see langword="null"/> when none.</param>
public readonly record struct TracedAtom(ValueAtom Atom, ValueOrigin Origins, SourceRef? Source)
{
    /// <summary>Whether the value appeared in untrusted tool output and nowhere else (delegated output counts as untrusted only when
    /// <paramref name="acceptDelegated"/> is <see langword="false"/>).</summary>
    /// <param name="acceptDelegated">Whether output the user delegated to counts as a source of its own.</param>
    /// <returns><see langword="true"/> when only untrusted output supplied it.</returns>
    public bool IsOnlyUntrusted(bool acceptDelegated = true) => acceptDelegated
        ? Origins == ValueOrigin.UntrustedTool
        : Origins != ValueOrigin.None && (Origins & ~(ValueOrigin.UntrustedTool | ValueOrigin.DelegatedTool)) == 0;
}

/// <summary>The provenance of one argument leaf: a string or number at a JSON path (array elements are leaves of their own).</summary>
/// <param name="Path">The JSONPath of the leaf, e.g. <c>$.recipients[0]</c>.</param>
/// <param name="Value">The leaf value.</param>
/// <param name="Atoms">The values found in it, traced; empty for booleans, nulls and text without traceable values.</param>
public sealed record ArgumentTrace(string Path, JsonElement Value, IReadOnlyList<TracedAtom> Atoms)
{
    /// <summary>The top-level argument name, e.g. <c>recipients</c> for <c>$.recipients[0]</c>.</summary>
    public string Argument
    {
        get
        {
            var name = Path.AsSpan(2);
            var end = name.IndexOfAny('.', '[');
            return (end < 0 ? name : name[..end]).ToString();
        }
    }

    /// <summary>The first value that appeared only in untrusted tool output, if any.</summary>
    /// <param name="acceptDelegated">Whether output the user delegated to counts as a source of its own.</param>
    /// <param name="kinds">The value kinds to check (e.g. <c>url</c>, <c>email</c>); <see langword="null"/> for all.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public TracedAtom? OnlyUntrusted(bool acceptDelegated = true, IReadOnlySet<string>? kinds = null)
    {
        foreach (var atom in Atoms)
        {
            if ((kinds is null || kinds.Contains(atom.Atom.Kind)) && atom.IsOnlyUntrusted(acceptDelegated))
            {
                return atom;
            }
        }

        return null;
    }

    /// <summary>Whether the value was named by one of the given sources: the whole string appeared there, or every identifying value in it
    /// (kinds other than <c>text</c>, <c>day</c> and <c>amount</c>) did and there is at least one.</summary>
    /// <param name="sources">The accepted sources, e.g. <see cref="ValueOrigin.User"/>.</param>
    /// <returns><see langword="true"/> when named.</returns>
    public bool IsNamedBy(ValueOrigin sources)
    {
        var identifying = 0;
        foreach (var atom in Atoms)
        {
            if (atom.Atom.Kind == "text")
            {
                if ((atom.Origins & sources) != 0)
                {
                    return true;
                }

                continue;
            }

            if (atom.Atom.Kind is "day" or "amount")
            {
                continue;
            }

            if ((atom.Origins & sources) == 0)
            {
                return false;
            }

            identifying++;
        }

        return identifying > 0;
    }

    /// <summary>The leaf as text for messages: the string, or the raw JSON of other values.</summary>
    public string Text => Value.ValueKind == JsonValueKind.String ? Value.GetString()! : Value.GetRawText();
}
