using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Keel.Policies.Cel;

/// <summary>
/// Builds the regexes behind <c>matches()</c>: .NET's non-backtracking engine (linear time, no
/// backreferences or lookarounds, close to CEL's RE2) with a per-match timeout. Patterns computed
/// at evaluation time are cached, at most 256 of them.
/// </summary>
internal static class CelRegexCache
{
    /// <summary>The longest a single match may run: 100 ms.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private const int MaxCached = 256;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Builds a regex; false with the reason if the pattern is invalid or unsupported.</summary>
    public static bool TryCreate(string pattern, out Regex? regex, out string? problem)
    {
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            regex = null;
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>Gets a cached regex for a pattern computed at evaluation time.</summary>
    public static bool TryGet(string pattern, out Regex? regex, out string? problem)
    {
        if (Cache.TryGetValue(pattern, out regex))
        {
            problem = null;
            return true;
        }

        if (!TryCreate(pattern, out regex, out problem))
        {
            return false;
        }

        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(pattern, regex!);
        }

        return true;
    }
}
