namespace Keel.Policies.Cel;

/// <summary>The timestamp and duration accessors, named after their CEL functions.</summary>
internal enum CelTimePart
{
    FullYear,
    Month,
    Date,
    DayOfMonth,
    DayOfWeek,
    DayOfYear,
    Hours,
    Minutes,
    Seconds,
    Milliseconds,
}

/// <summary>
/// Evaluates <c>t.getFullYear()</c> and the other accessors. Timestamps read in UTC unless a
/// time zone argument is given; months, day of month (<c>getDayOfMonth</c>), day of week (Sunday = 0)
/// and day of year are 0-based and <c>getDate</c> is 1-based, as in CEL. On durations,
/// <c>getHours</c>/<c>getMinutes</c>/<c>getSeconds</c>/<c>getMilliseconds</c> return the whole duration in that unit.
/// </summary>
internal static class CelTimeAccessors
{
    private static readonly string[] Names =
    [
        "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
        "getHours", "getMinutes", "getSeconds", "getMilliseconds",
    ];

    /// <summary>Maps a function name to its part; false for any other name.</summary>
    public static bool TryGetPart(string name, out CelTimePart part)
    {
        int index = Array.IndexOf(Names, name);
        part = (CelTimePart)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(CelTimePart part) => Names[(int)part];

    /// <summary>Reads <paramref name="part"/> of a timestamp or duration; <paramref name="zone"/> is null or a string.</summary>
    public static object? Get(object? value, CelTimePart part, object? zone)
    {
        if (CelErrors.First(value, zone) is { } error)
        {
            return error;
        }

        if (value is TimeSpan duration && zone is null)
        {
            return part switch
            {
                CelTimePart.Hours => CelValue.Int(duration.Ticks / TimeSpan.TicksPerHour),
                CelTimePart.Minutes => CelValue.Int(duration.Ticks / TimeSpan.TicksPerMinute),
                CelTimePart.Seconds => CelValue.Int(duration.Ticks / TimeSpan.TicksPerSecond),
                CelTimePart.Milliseconds => CelValue.Int(duration.Ticks / TimeSpan.TicksPerMillisecond),
                _ => CelErrors.Method(Name(part), value),
            };
        }

        if (value is not DateTimeOffset timestamp)
        {
            return zone is null ? CelErrors.Method(Name(part), value) : CelErrors.Method(Name(part), value, zone);
        }

        TimeSpan offset = TimeSpan.Zero;
        if (zone is not null && (zone is not string name || !CelTime.TryResolveZone(name, timestamp, out offset)))
        {
            return zone is string unknown
                ? new CelError($"unknown time zone '{unknown}'; use 'UTC', an offset such as '+02:00', or an IANA name such as 'Europe/Paris'")
                : CelErrors.Method(Name(part), value, zone);
        }

        long localTicks = timestamp.UtcTicks + offset.Ticks;
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            return CelErrors.TimestampOutOfRange;
        }

        var local = new DateTime(localTicks, DateTimeKind.Unspecified);
        return CelValue.Int(part switch
        {
            CelTimePart.FullYear => local.Year,
            CelTimePart.Month => local.Month - 1,
            CelTimePart.Date => local.Day,
            CelTimePart.DayOfMonth => local.Day - 1,
            CelTimePart.DayOfWeek => (int)local.DayOfWeek,
            CelTimePart.DayOfYear => local.DayOfYear - 1,
            CelTimePart.Hours => local.Hour,
            CelTimePart.Minutes => local.Minute,
            CelTimePart.Seconds => local.Second,
            _ => local.Millisecond,
        });
    }
}
