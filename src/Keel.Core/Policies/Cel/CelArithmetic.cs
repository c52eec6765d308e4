namespace Keel.Policies.Cel;

/// <summary>
/// CEL arithmetic: checked 64-bit int math, IEEE double math, string and list concatenation,
/// and timestamp/duration math. Mixing int and double promotes to double (a Keel deviation:
/// the CEL specification has no mixed-type arithmetic).
/// </summary>
internal static class CelArithmetic
{
    private static readonly long MinTimestampTicks = DateTimeOffset.MinValue.UtcTicks;
    private static readonly long MaxTimestampTicks = DateTimeOffset.MaxValue.UtcTicks;

    public static object? Add(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            long r = unchecked(x + y);
            return ((x ^ r) & (y ^ r)) < 0 ? CelErrors.IntegerOverflow : CelValue.Int(r);
        }

        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        switch (a)
        {
            case double or long when TryDoubles(a, b, out double dx, out double dy):
                return dx + dy;
            case string s when b is string t:
                return string.Concat(s, t);
            case DateTimeOffset t when b is TimeSpan d:
                return AddTicks(t.UtcTicks, d.Ticks);
            case TimeSpan d when b is DateTimeOffset t:
                return AddTicks(t.UtcTicks, d.Ticks);
            case TimeSpan d when b is TimeSpan e:
                return AddDurations(d.Ticks, e.Ticks);
        }

        return CelValue.IsList(a) && CelValue.IsList(b) ? Concat(a, b) : CelErrors.Binary("+", a, b);
    }

    public static object? Subtract(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            long r = unchecked(x - y);
            return ((x ^ y) & (x ^ r)) < 0 ? CelErrors.IntegerOverflow : CelValue.Int(r);
        }

        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        switch (a)
        {
            case double or long when TryDoubles(a, b, out double dx, out double dy):
                return dx - dy;
            case DateTimeOffset t when b is DateTimeOffset u:
                return TimeSpan.FromTicks(t.UtcTicks - u.UtcTicks);
            case DateTimeOffset t when b is TimeSpan d:
                return d.Ticks == long.MinValue ? CelErrors.TimestampOutOfRange : AddTicks(t.UtcTicks, -d.Ticks);
            case TimeSpan d when b is TimeSpan e:
                return e.Ticks == long.MinValue ? CelErrors.DurationOutOfRange : AddDurations(d.Ticks, -e.Ticks);
        }

        return CelErrors.Binary("-", a, b);
    }

    public static object? Multiply(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            long high = Math.BigMul(x, y, out long low);
            return high != (low >> 63) ? CelErrors.IntegerOverflow : CelValue.Int(low);
        }

        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        return TryDoubles(a, b, out double dx, out double dy) ? dx * dy : CelErrors.Binary("*", a, b);
    }

    public static object? Divide(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            if (y == 0)
            {
                return CelErrors.DivisionByZero;
            }

            return x == long.MinValue && y == -1 ? CelErrors.IntegerOverflow : CelValue.Int(x / y);
        }

        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        return TryDoubles(a, b, out double dx, out double dy) ? dx / dy : CelErrors.Binary("/", a, b);
    }

    public static object? Modulo(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            if (y == 0)
            {
                return CelErrors.ModulusByZero;
            }

            return x == long.MinValue && y == -1 ? CelErrors.IntegerOverflow : CelValue.Int(x % y);
        }

        return CelErrors.First(a, b) ?? (object)CelErrors.Binary("%", a, b);
    }

    public static object? Negate(object? a) => a switch
    {
        long x => x == long.MinValue ? CelErrors.IntegerOverflow : CelValue.Int(-x),
        double x => -x,
        CelError => a,
        _ => CelErrors.Unary("-", a),
    };

    public static object? Not(object? a) => a switch
    {
        bool x => CelValue.Bool(!x),
        CelError => a,
        _ => CelErrors.Unary("!", a),
    };

    /// <summary>Concatenates two lists (CLR or JSON) into a new list.</summary>
    public static object? Concat(object? a, object? b)
    {
        CelAccess.TryCount(a, out int countA);
        CelAccess.TryCount(b, out int countB);
        var result = new object?[countA + countB];
        int i = 0;
        CelRangeEnumerator.TryCreate(a, out CelRangeEnumerator left);
        while (left.MoveNext(out object? item))
        {
            result[i++] = item;
        }

        CelRangeEnumerator.TryCreate(b, out CelRangeEnumerator right);
        while (right.MoveNext(out object? item))
        {
            result[i++] = item;
        }

        return result;
    }

    private static bool TryDoubles(object? a, object? b, out double x, out double y)
    {
        bool ok = TryDouble(a, out x);
        y = 0;
        return ok && TryDouble(b, out y);
    }

    private static bool TryDouble(object? value, out double result)
    {
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case long l:
                result = l;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static object AddTicks(long timestampTicks, long durationTicks)
    {
        long r = unchecked(timestampTicks + durationTicks);
        bool overflow = ((timestampTicks ^ r) & (durationTicks ^ r)) < 0;
        return overflow || r < MinTimestampTicks || r > MaxTimestampTicks
            ? CelErrors.TimestampOutOfRange
            : new DateTimeOffset(r, TimeSpan.Zero);
    }

    private static object AddDurations(long x, long y)
    {
        long r = unchecked(x + y);
        return ((x ^ r) & (y ^ r)) < 0 ? CelErrors.DurationOutOfRange : TimeSpan.FromTicks(r);
    }
}
