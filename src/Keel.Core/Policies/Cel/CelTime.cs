using System.Globalization;

namespace Keel.Policies.Cel;

/// <summary>
/// Timestamp and duration text: RFC 3339 / ISO 8601 timestamps (a string without an offset is
/// read as UTC, a Keel deviation) and Go-style durations such as <c>24h</c>, <c>1h30m</c>, <c>1.5h</c>.
/// </summary>
internal static class CelTime
{
    private const int MaxFractionDigits = 7;

    /// <summary>The longest duration a <see cref="TimeSpan"/> holds, in nanoseconds.</summary>
    private const decimal MaxNanoseconds = long.MaxValue * 100m;

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>Parses an RFC 3339 timestamp; fractions past 100 ns are truncated.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        string trimmed = TrimFraction(text);
        return DateTimeOffset.TryParseExact(trimmed, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Formats a timestamp as CEL's string() does: RFC 3339 in UTC, e.g. <c>2024-05-01T12:00:00Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats a duration as CEL's string() does: seconds with a fraction, e.g. <c>90s</c>, <c>1.5s</c>.</summary>
    public static string FormatDuration(TimeSpan value) =>
        ((decimal)value.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";

    /// <summary>
    /// Parses a duration: an optional sign, then one or more decimal numbers each with a unit
    /// (h, m, s, ms, us, µs, ns), as Go's time.ParseDuration and CEL accept; "0" alone is zero.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal nanoseconds = 0;
        while (!s.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }

            int unitLength = numberLength;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            ReadOnlySpan<char> number = s[..numberLength];
            decimal unit = UnitNanoseconds(s[numberLength..unitLength]);
            if (number.IsEmpty || number is "." || unit == 0
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return false;
            }

            if (amount > MaxNanoseconds / unit)
            {
                return false;
            }

            nanoseconds += amount * unit;
            if (nanoseconds > MaxNanoseconds)
            {
                return false;
            }

            s = s[unitLength..];
        }

        long ticks = (long)decimal.Truncate(nanoseconds / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Resolves a time zone argument: "UTC", a fixed offset such as "+05:30", or an IANA name.</summary>
    public static bool TryResolveZone(string zone, DateTimeOffset instant, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "UTC" or "Z" or "")
        {
            return true;
        }

        ReadOnlySpan<char> z = zone;
        bool negative = z[0] == '-';
        if (z[0] is '+' or '-')
        {
            z = z[1..];
        }

        if (z.Length == 5 && z[2] == ':'
            && int.TryParse(z[..2], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            && int.TryParse(z[3..], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            && hours <= 23 && minutes <= 59)
        {
            offset = new TimeSpan(hours, minutes, 0);
            offset = negative ? -offset : offset;
            return true;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out TimeZoneInfo? info))
        {
            offset = info.GetUtcOffset(instant.UtcDateTime);
            return true;
        }

        return false;
    }

    private static decimal UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "h" => 3_600_000_000_000m,
        "m" => 60_000_000_000m,
        "s" => 1_000_000_000m,
        "ms" => 1_000_000m,
        "us" or "µs" or "μs" => 1_000m,
        "ns" => 1m,
        _ => 0m,
    };

    private static string TrimFraction(string text)
    {
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        int end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        int digits = end - dot - 1;
        return digits <= MaxFractionDigits ? text : string.Concat(text.AsSpan(0, dot + 1 + MaxFractionDigits), text.AsSpan(end));
    }
}
