namespace Keel.Policies.Cel;

/// <summary>
/// The Kubernetes CEL list library subset: <c>sum()</c>, <c>min()</c>, <c>max()</c>,
/// <c>indexOf(v)</c> and <c>lastIndexOf(v)</c> (the last two also work on strings).
/// </summary>
internal static class CelLists
{
    /// <summary>Adds the ints, doubles or durations of a list; an empty list sums to int 0.</summary>
    public static object? Sum(object? target)
    {
        if (CelValue.IsMap(target) || !CelRangeEnumerator.TryCreate(target, out CelRangeEnumerator items))
        {
            return target as CelError ?? CelErrors.Method("sum", target);
        }

        object? total = null;
        while (items.MoveNext(out object? item))
        {
            if (item is not (long or double or TimeSpan))
            {
                return CelErrors.NoSuchOverload($"sum() of a list containing {CelValue.TypeName(item)}");
            }

            total = total is null ? item : CelArithmetic.Add(total, item);
            if (total is CelError)
            {
                return total;
            }
        }

        return total ?? CelValue.Int(0);
    }

    /// <summary>Returns the smallest (or, with <paramref name="max"/>, largest) element; an error for an empty list.</summary>
    public static object? Extreme(object? target, bool max)
    {
        string name = max ? "max" : "min";
        if (CelValue.IsMap(target) || !CelRangeEnumerator.TryCreate(target, out CelRangeEnumerator items))
        {
            return target as CelError ?? CelErrors.Method(name, target);
        }

        object? best = null;
        bool any = false;
        while (items.MoveNext(out object? item))
        {
            if (!any)
            {
                best = item;
                any = true;
                continue;
            }

            if (!CelEquality.TryCompare(item, best, out int cmp))
            {
                return CelErrors.NoSuchOverload($"{name}() of a list mixing {CelValue.TypeName(best)} and {CelValue.TypeName(item)}");
            }

            if (max ? cmp > 0 : cmp < 0)
            {
                best = item;
            }
        }

        if (!any)
        {
            return new CelError($"{name}() of an empty list");
        }

        return CelEquality.TryCompare(best, best, out _) ? best : CelErrors.NoSuchOverload($"{name}() of a list of {CelValue.TypeName(best)}");
    }

    /// <summary>Returns the first (or last) index of <paramref name="value"/> in a list or string; -1 when absent.</summary>
    public static object? IndexOf(object? target, object? value, bool last)
    {
        if (CelErrors.First(target, value) is { } error)
        {
            return error;
        }

        if (target is string text)
        {
            return value is string part ? CelStrings.IndexOf(text, part, last) : CelErrors.Method(last ? "lastIndexOf" : "indexOf", target, value);
        }

        if (!CelValue.IsList(target))
        {
            return CelErrors.Method(last ? "lastIndexOf" : "indexOf", target, value);
        }

        CelRangeEnumerator.TryCreate(target, out CelRangeEnumerator items);
        long found = -1;
        long index = 0;
        while (items.MoveNext(out object? item))
        {
            if (CelEquality.ValueEquals(item, value))
            {
                found = index;
                if (!last)
                {
                    break;
                }
            }

            index++;
        }

        return CelValue.Int(found);
    }
}
