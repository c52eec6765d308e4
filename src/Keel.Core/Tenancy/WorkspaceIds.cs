using System.Text;

namespace Keel.Tenancy;

/// <summary>The shape of a workspace id — 1 to 64 characters of lower-case ASCII letters, digits, <c>-</c> and <c>_</c>, starting
/// with a letter or a digit (e.g. <c>default</c>, <c>acme-support</c>) — and the id a workspace gets from its name when none is given.
/// Shared by <c>POST /v1/workspaces</c> and <c>keel workspace create</c>.</summary>
public static class WorkspaceIds
{
    /// <summary>The longest id, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The longest workspace name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>What a valid id looks like, for error messages.</summary>
    public const string Rule = "1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit";

    /// <summary>Whether <paramref name="id"/> is a valid workspace id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && IsLetterOrDigit(id[0]) && id.All(c => IsLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The id derived from a name: lower-cased, every run of other characters turned into one <c>-</c>, trimmed of
    /// <c>-</c> and cut to <see cref="MaxLength"/>, e.g. <c>Acme Support (EU)</c> → <c>acme-support-eu</c>.</summary>
    /// <param name="name">The workspace name.</param>
    /// <returns>The id, or <see langword="null"/> when the name has no ASCII letter or digit.</returns>
    public static string? FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (IsLetterOrDigit(c) || (c == '_' && id.Length > 0))
            {
                id.Append(c);
            }
            else if (id.Length > 0 && id[^1] != '-')
            {
                id.Append('-');
            }
        }

        var text = id.ToString().Trim('-', '_');
        text = text.Length > MaxLength ? text[..MaxLength].TrimEnd('-', '_') : text;
        return IsValid(text) ? text : null;
    }

    private static bool IsLetterOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
