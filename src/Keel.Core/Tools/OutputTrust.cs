namespace Keel.Tools;

/// <summary>Whether third parties can write (parts of) a tool's output, from the <c>x-untrusted-output</c> annotation of <c>tools.json</c>:
/// <c>true</c> (the whole output), a list of field names (only those fields, at any depth, of a JSON or YAML output; if the output
/// does not parse, all of it), or absent/<c>false</c> (trusted). Mail bodies, web pages, file contents, chat messages and reviews
/// are untrusted: anyone can put instructions in them (indirect prompt injection, Greshake et al. 2023, arXiv:2302.12173).</summary>
public sealed class OutputTrust
{
    private OutputTrust(bool untrusted, IReadOnlySet<string>? fields)
    {
        IsUntrusted = untrusted;
        Fields = fields;
    }

    /// <summary>Trusted output (the default).</summary>
    public static OutputTrust Trusted { get; } = new(false, null);

    /// <summary>The whole output is untrusted.</summary>
    public static OutputTrust Untrusted { get; } = new(true, null);

    /// <summary>Whether any part of the output is untrusted.</summary>
    public bool IsUntrusted { get; }

    /// <summary>The untrusted field names; <see langword="null"/> when the whole output is untrusted (or trusted).</summary>
    public IReadOnlySet<string>? Fields { get; }

    /// <summary>Output whose named fields are untrusted and whose other fields are trusted.</summary>
    /// <param name="fields">Field names, matched exactly at any depth.</param>
    /// <returns>The trust.</returns>
    /// <exception cref="ArgumentException"><paramref name="fields"/> is empty.</exception>
    public static OutputTrust UntrustedFields(IEnumerable<string> fields)
    {
        var set = fields.ToHashSet(StringComparer.Ordinal);
        return set.Count == 0 ? throw new ArgumentException("Name at least one untrusted field.", nameof(fields)) : new OutputTrust(true, set);
    }
}
