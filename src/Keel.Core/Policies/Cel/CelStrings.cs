using System.Text.RegularExpressions;

namespace Keel.Policies.Cel;

/// <summary>String functions: contains, startsWith, endsWith, matches, lowerAscii, upperAscii, trim, indexOf.</summary>
internal static class CelStrings
{
    public static object? Contains(object? target, object? arg) =>
        target is string s && arg is string t
            ? CelValue.Bool(s.Contains(t, StringComparison.Ordinal))
            : CelErrors.First(target, arg) ?? CelErrors.Method("contains", target, arg);

    public static object? StartsWith(object? target, object? arg) =>
        target is string s && arg is string t
            ? CelValue.Bool(s.StartsWith(t, StringComparison.Ordinal))
            : CelErrors.First(target, arg) ?? CelErrors.Method("startsWith", target, arg);

    public static object? EndsWith(object? target, object? arg) =>
        target is string s && arg is string t
            ? CelValue.Bool(s.EndsWith(t, StringComparison.Ordinal))
            : CelErrors.First(target, arg) ?? CelErrors.Method("endsWith", target, arg);

    /// <summary>Evaluates <c>target.matches(regex)</c> with a regex compiled from a literal pattern.</summary>
    public static object? Matches(object? target, Regex regex)
    {
        if (target is not string s)
        {
            return target as CelError ?? CelErrors.Method("matches", target, string.Empty);
        }

        try
        {
            return CelValue.Bool(regex.IsMatch(s));
        }
        catch (RegexMatchTimeoutException)
        {
            return new CelError($"regex match timed out after {CelRegexCache.MatchTimeout.TotalMilliseconds} ms: '{regex}'");
        }
    }

    /// <summary>Evaluates <c>target.matches(pattern)</c> with a pattern computed at evaluation time.</summary>
    public static object? Matches(object? target, object? pattern)
    {
        if (target is not string || pattern is not string p)
        {
            return CelErrors.First(target, pattern) ?? CelErrors.Method("matches", target, pattern);
        }

        return CelRegexCache.TryGet(p, out Regex? regex, out string? problem)
            ? Matches(target, regex!)
            : new CelError($"invalid regular expression '{p}': {problem}");
    }

    public static object? LowerAscii(object? target) =>
        target is string s ? MapAscii(s, 'A', 'Z', 0x20) : target as CelError ?? CelErrors.Method("lowerAscii", target);

    public static object? UpperAscii(object? target) =>
        target is string s ? MapAscii(s, 'a', 'z', -0x20) : target as CelError ?? CelErrors.Method("upperAscii", target);

    public static object? Trim(object? target) =>
        target is string s ? s.Trim() : target as CelError ?? CelErrors.Method("trim", target);

    /// <summary>Evaluates <c>text.indexOf(part)</c>, counting code points as CEL does; -1 when absent.</summary>
    public static object? IndexOf(string text, string part, bool last)
    {
        int index = last ? text.LastIndexOf(part, StringComparison.Ordinal) : text.IndexOf(part, StringComparison.Ordinal);
        return CelValue.Int(index < 0 ? -1 : CodePointCount(text.AsSpan(0, index)));
    }

    /// <summary>Counts Unicode code points: a surrogate pair counts once, as CEL's size() requires.</summary>
    public static int CodePointCount(ReadOnlySpan<char> text)
    {
        int count = text.Length;
        for (int i = 1; i < text.Length; i++)
        {
            if (char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1]))
            {
                count--;
            }
        }

        return count;
    }

    private static string MapAscii(string s, char first, char last, int delta)
    {
        int start = 0;
        while (start < s.Length && (s[start] < first || s[start] > last))
        {
            start++;
        }

        if (start == s.Length)
        {
            return s;
        }

        return string.Create(s.Length, (s, start, first, last, delta), static (span, state) =>
        {
            state.s.AsSpan().CopyTo(span);
            for (int i = state.start; i < span.Length; i++)
            {
                char c = span[i];
                if (c >= state.first && c <= state.last)
                {
                    span[i] = (char)(c + state.delta);
                }
            }
        });
    }
}
