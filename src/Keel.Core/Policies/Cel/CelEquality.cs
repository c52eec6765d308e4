namespace Keel.Policies.Cel;

/// <summary>
/// CEL equality and ordering. Equality is heterogeneous as in the CEL specification: values of
/// different types are unequal rather than an error, and int and double compare by numeric value.
/// </summary>
internal static class CelEquality
{
    private const double TwoPow63 = 9223372036854775808.0;

    /// <summary>Evaluates <c>a == b</c> (or <c>a != b</c> when <paramref name="negate"/>).</summary>
    public static object? Equal(object? a, object? b, bool negate)
    {
        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        return CelValue.Bool(ValueEquals(a, b) != negate);
    }

    /// <summary>Compares two normalized, non-error values for equality.</summary>
    public static bool ValueEquals(object? a, object? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case string s:
                return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case long x:
                return b switch
                {
                    long yl => x == yl,
                    double yd => !double.IsNaN(yd) && CompareIntDouble(x, yd) == 0,
                    _ => false,
                };
            case double x:
                return b switch
                {
                    double yd => x == yd,
                    long yl => !double.IsNaN(x) && CompareIntDouble(yl, x) == 0,
                    _ => false,
                };
            case bool x:
                return b is bool yb && x == yb;
            case DateTimeOffset x:
                return b is DateTimeOffset yt && x.UtcTicks == yt.UtcTicks;
            case TimeSpan x:
                return b is TimeSpan ys && x == ys;
        }

        if (CelValue.IsList(a))
        {
            return CelValue.IsList(b) && ListEquals(a, b);
        }

        if (CelValue.IsMap(a))
        {
            return CelValue.IsMap(b) && MapEquals(a, b);
        }

        return Equals(a, b);
    }

    /// <summary>Evaluates an ordering operator (<c>&lt; &lt;= &gt; &gt;=</c>).</summary>
    public static object? Relation(object? a, object? b, CelBinaryOp op)
    {
        if (CelErrors.First(a, b) is { } error)
        {
            return error;
        }

        if (!TryCompare(a, b, out int cmp))
        {
            return CelErrors.Binary(CelAst.Symbol(op), a, b);
        }

        if ((a is double da && double.IsNaN(da)) || (b is double db && double.IsNaN(db)))
        {
            return CelValue.False;
        }

        bool result = op switch
        {
            CelBinaryOp.Less => cmp < 0,
            CelBinaryOp.LessOrEqual => cmp <= 0,
            CelBinaryOp.Greater => cmp > 0,
            _ => cmp >= 0,
        };
        return CelValue.Bool(result);
    }

    /// <summary>Orders two values of the same comparable type (or int and double); false if not comparable.</summary>
    public static bool TryCompare(object? a, object? b, out int cmp)
    {
        switch (a)
        {
            case long x when b is long y:
                cmp = x.CompareTo(y);
                return true;
            case long x when b is double y:
                cmp = CompareIntDouble(x, y);
                return true;
            case double x when b is double y:
                cmp = x.CompareTo(y);
                return true;
            case double x when b is long y:
                cmp = -CompareIntDouble(y, x);
                return true;
            case string x when b is string y:
                cmp = string.CompareOrdinal(x, y);
                return true;
            case bool x when b is bool y:
                cmp = x.CompareTo(y);
                return true;
            case DateTimeOffset x when b is DateTimeOffset y:
                cmp = x.UtcTicks.CompareTo(y.UtcTicks);
                return true;
            case TimeSpan x when b is TimeSpan y:
                cmp = x.CompareTo(y);
                return true;
            default:
                cmp = 0;
                return false;
        }
    }

    /// <summary>Compares an int with a double exactly, without rounding the int; NaN orders last.</summary>
    public static int CompareIntDouble(long x, double y)
    {
        if (double.IsNaN(y) || y >= TwoPow63)
        {
            return -1;
        }

        if (y < -TwoPow63)
        {
            return 1;
        }

        long truncated = (long)y;
        if (x != truncated)
        {
            return x < truncated ? -1 : 1;
        }

        double fraction = y - truncated;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    private static bool ListEquals(object? a, object? b)
    {
        if (a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }

            for (int i = 0; i < la.Count; i++)
            {
                if (!ValueEquals(CelValue.Normalize(la[i]), CelValue.Normalize(lb[i])))
                {
                    return false;
                }
            }

            return true;
        }

        if (!CelAccess.TryCount(a, out int countA) || !CelAccess.TryCount(b, out int countB) || countA != countB)
        {
            return false;
        }

        CelRangeEnumerator.TryCreate(a, out CelRangeEnumerator left);
        CelRangeEnumerator.TryCreate(b, out CelRangeEnumerator right);
        while (left.MoveNext(out object? x) && right.MoveNext(out object? y))
        {
            if (!ValueEquals(x, y))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MapEquals(object? a, object? b)
    {
        if (!CelAccess.TryCount(a, out int countA) || !CelAccess.TryCount(b, out int countB) || countA != countB)
        {
            return false;
        }

        CelRangeEnumerator.TryCreate(a, out CelRangeEnumerator keys);
        try
        {
            while (keys.MoveNext(out object? key))
            {
                string name = (string)key!;
                if (!CelAccess.TryGetField(a, name, out object? x) || !CelAccess.TryGetField(b, name, out object? y) || !ValueEquals(x, y))
                {
                    return false;
                }
            }
        }
        finally
        {
            keys.Dispose();
        }

        return true;
    }
}
