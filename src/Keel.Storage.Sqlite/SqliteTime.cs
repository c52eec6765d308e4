using System.Globalization;

namespace Keel.Storage.Sqlite;

/// <summary>Times as stored in SQL columns: UTC, ISO 8601, seven fractional digits and <c>Z</c>
/// (<c>2024-05-01T10:00:00.0000000Z</c>), so text order is time order and SQLite's date functions read them.</summary>
internal static class SqliteTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const int Length = 28;

    /// <summary>Formats an instant as fixed-width UTC text (the offset is dropped; store it apart when it matters).</summary>
    public static string ToUtcText(DateTimeOffset value) =>
        string.Create(Length, value.UtcDateTime, static (span, utc) => utc.TryFormat(span, out _, Format, CultureInfo.InvariantCulture));

    /// <summary>Parses text written by <see cref="ToUtcText"/> and restores the original offset.</summary>
    /// <exception cref="FormatException">The text is not in the stored format.</exception>
    public static DateTimeOffset FromUtcText(string text, long offsetMinutes)
    {
        var utc = DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
    }

    /// <summary>Parses text written by <see cref="ToUtcText"/> as a UTC time.</summary>
    /// <returns>Whether the text is in the stored format.</returns>
    public static bool TryFromUtcText(string text, out DateTimeOffset value)
    {
        var ok = DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc);
        value = ok ? new DateTimeOffset(utc, TimeSpan.Zero) : default;
        return ok;
    }

    /// <summary>The offset of a time from UTC in whole minutes, as stored beside its UTC text.</summary>
    public static long OffsetMinutes(DateTimeOffset value) => (long)value.Offset.TotalMinutes;
}
