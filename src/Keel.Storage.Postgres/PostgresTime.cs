using System.Globalization;
using Keel.Audit;

namespace Keel.Storage.Postgres;

/// <summary>Times as stored in text columns: UTC, ISO 8601, seven fractional digits and <c>Z</c> (<c>2024-05-01T10:00:00.0000000Z</c>,
/// <see cref="AuditHash.TimestampFormat"/>), the form the SQLite store writes and the audit hash covers. <c>timestamptz</c> keeps
/// microseconds only, so it would drop the last digit of a .NET time and break the hash of events that carry it; fixed-width text
/// in <c>COLLATE "C"</c> columns keeps every tick, and text order is time order.</summary>
internal static class PostgresTime
{
    private const int Length = 28;

    /// <summary>Formats an instant as fixed-width UTC text (the offset is dropped; store it apart when it matters).</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The text.</returns>
    public static string ToUtcText(DateTimeOffset value) =>
        string.Create(Length, value.UtcDateTime, static (span, utc) => utc.TryFormat(span, out _, AuditHash.TimestampFormat, CultureInfo.InvariantCulture));

    /// <summary>Parses text written by <see cref="ToUtcText"/> and restores an offset.</summary>
    /// <param name="text">The stored text.</param>
    /// <param name="offsetMinutes">The offset to restore, in minutes (0 for UTC).</param>
    /// <returns>The instant.</returns>
    /// <exception cref="FormatException">The text is not in the stored format.</exception>
    public static DateTimeOffset FromUtcText(string text, long offsetMinutes = 0)
    {
        var utc = DateTime.ParseExact(text, AuditHash.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
    }

    /// <summary>Parses text written by <see cref="ToUtcText"/> as a UTC time; a tampered value is read as <see cref="DateTimeOffset.MinValue"/>,
    /// which then fails its hash check.</summary>
    /// <param name="text">The stored text.</param>
    /// <returns>The time, or <see cref="DateTimeOffset.MinValue"/>.</returns>
    public static DateTimeOffset FromUtcTextOrMin(string text) =>
        DateTime.TryParseExact(text, AuditHash.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? new DateTimeOffset(utc, TimeSpan.Zero)
            : DateTimeOffset.MinValue;

    /// <summary>The offset of a time from UTC in whole minutes, as stored beside its UTC text.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The offset in minutes.</returns>
    public static int OffsetMinutes(DateTimeOffset value) => (int)value.Offset.TotalMinutes;
}
