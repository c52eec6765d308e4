using System.Globalization;

namespace Keel.Policies.Cel;

/// <summary>The conversion functions int(), double(), string(), bool(), timestamp() and duration().</summary>
internal static class CelConversions
{
    private const double TwoPow63 = 9223372036854775808.0;

    public static object? ToInt(object? value)
    {
        switch (value)
        {
            case long:
            case CelError:
                return value;
            case double d:
                return d >= -TwoPow63 && d < TwoPow63 ? CelValue.Int((long)d) : new CelError($"int() out of range: {Format(d)}");
            case string s:
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)
                    ? CelValue.Int(parsed)
                    : new CelError($"cannot convert {CelErrors.Quote(s)} to int");
            case DateTimeOffset t:
                return CelValue.Int(t.ToUnixTimeSeconds());
            default:
                return CelErrors.Function("int", value);
        }
    }

    public static object? ToDouble(object? value) => value switch
    {
        double or CelError => value,
        long l => (double)l,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d
            : new CelError($"cannot convert {CelErrors.Quote(s)} to double"),
        _ => CelErrors.Function("double", value),
    };

    public static object? ToStringValue(object? value) => value switch
    {
        string or CelError => value,
        _ => Format(value) ?? (object)CelErrors.Function("string", value),
    };

    public static object? ToBool(object? value) => value switch
    {
        bool or CelError => value,
        "1" or "t" or "true" or "TRUE" or "True" => CelValue.True,
        "0" or "f" or "false" or "FALSE" or "False" => CelValue.False,
        string s => new CelError($"cannot convert {CelErrors.Quote(s)} to bool"),
        _ => CelErrors.Function("bool", value),
    };

    public static object? ToTimestamp(object? value)
    {
        switch (value)
        {
            case DateTimeOffset:
            case CelError:
                return value;
            case string s:
                return CelTime.TryParseTimestamp(s, out DateTimeOffset parsed)
                    ? parsed
                    : new CelError($"cannot parse timestamp {CelErrors.Quote(s)}; expected RFC 3339 such as '2024-05-01T12:00:00Z'");
            case long seconds:
                return seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : CelErrors.TimestampOutOfRange;
            default:
                return CelErrors.Function("timestamp", value);
        }
    }

    public static object? ToDuration(object? value) => value switch
    {
        TimeSpan or CelError => value,
        string s => CelTime.TryParseDuration(s, out TimeSpan parsed)
            ? parsed
            : new CelError($"cannot parse duration {CelErrors.Quote(s)}; expected a number and unit such as '24h', '1h30m', '90s' or '1.5h'"),
        _ => CelErrors.Function("duration", value),
    };

    /// <summary>Formats a scalar as string() does; null for values string() does not accept.</summary>
    public static string? Format(object? value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset t => CelTime.FormatTimestamp(t),
        TimeSpan span => CelTime.FormatDuration(span),
        _ => null,
    };
}
