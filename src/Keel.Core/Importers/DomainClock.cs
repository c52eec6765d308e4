using System.Globalization;
using System.Text.RegularExpressions;

namespace Keel.Importers;

/// <summary>
/// Finds a recorded run's clock: the domain time that the benchmark states in the agent's system prompt or policy
/// ("The current time is 2024-05-15 15:00:00 EST."), or a recorded message timestamp.
/// </summary>
/// <remarks>
/// tau-bench and tau2-bench airline policies state 2024-05-15 15:00:00 EST and the tau2 telecom policy states
/// 2025-02-25 12:08:00 EST; the retail policies state no time. Zone abbreviations are fixed offsets (EST = -05:00 even in
/// summer, as the benchmarks write them): EST/EDT, CST/CDT, MST/MDT, PST/PDT, UTC/GMT. A time without a zone is UTC; an
/// unknown abbreviation means the sentence is not used. Thread-safe.
/// </remarks>
internal static partial class DomainClock
{
    /// <summary>The clock of a run whose recording states no time and has no timestamps: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Unknown = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] _timeFormats = ["yyyy-MM-dd H:mm:ss", "yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss.FFFFFFF"];

    /// <summary>Finds "current time is &lt;date&gt; &lt;time&gt; [&lt;zone&gt;]" in a prompt or policy text.</summary>
    /// <param name="text">The system prompt or policy; may be <see langword="null"/>.</param>
    /// <param name="time">The stated time with its zone offset.</param>
    /// <returns>Whether the text states a time this parser understands.</returns>
    public static bool TryFindStatedTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var match = StatedTime().Match(text);
        if (!match.Success || !TryGetOffset(match.Groups["zone"], out var offset))
        {
            return false;
        }

        var local = match.Groups["date"].Value + " " + match.Groups["time"].Value;
        if (!DateTime.TryParseExact(local, _timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            return false;
        }

        time = new DateTimeOffset(clock, offset);
        return true;
    }

    /// <summary>Parses a recorded timestamp such as <c>2025-08-01T15:55:25.386355</c>; a timestamp without an offset is UTC.</summary>
    /// <param name="text">The timestamp text.</param>
    /// <param name="time">The parsed time.</param>
    /// <returns>Whether the text is a date and time.</returns>
    public static bool TryParseTimestamp(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static bool TryGetOffset(Group zone, out TimeSpan offset)
    {
        var hours = !zone.Success ? 0 : zone.Value switch
        {
            "UTC" or "GMT" or "Z" => 0,
            "EST" => -5,
            "EDT" => -4,
            "CST" => -6,
            "CDT" => -5,
            "MST" => -7,
            "MDT" => -6,
            "PST" => -8,
            "PDT" => -7,
            _ => int.MinValue,
        };

        offset = hours == int.MinValue ? default : TimeSpan.FromHours(hours);
        return hours != int.MinValue;
    }

    [GeneratedRegex(@"[Cc]urrent time is (?<date>\d{4}-\d{2}-\d{2})[ T](?<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:[ ]?(?<zone>[A-Z]{1,4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex StatedTime();
}
