namespace Keel.Policies.Cel;

/// <summary>
/// Runs the comprehension macros. The loop variable lives in slot <c>slot</c> of the per-evaluation
/// locals array, so the compiled body reads it without a dictionary lookup or an allocation.
/// </summary>
internal static class CelComprehensions
{
    /// <summary><c>all</c>: false if any element gives false (even if others error), else the first error, else true.</summary>
    public static object? All(object? range, int slot, CelEvaluator body, ICelActivation activation, object?[] locals) =>
        Quantify(range, slot, body, activation, locals, stopOn: false, "all");

    /// <summary><c>exists</c>: true if any element gives true (even if others error), else the first error, else false.</summary>
    public static object? Exists(object? range, int slot, CelEvaluator body, ICelActivation activation, object?[] locals) =>
        Quantify(range, slot, body, activation, locals, stopOn: true, "exists");

    /// <summary><c>exists_one</c>: true if exactly one element gives true; errors propagate.</summary>
    public static object? ExistsOne(object? range, int slot, CelEvaluator body, ICelActivation activation, object?[] locals)
    {
        if (!CelRangeEnumerator.TryCreate(range, out CelRangeEnumerator items))
        {
            return NotIterable(range, "exists_one");
        }

        try
        {
            int count = 0;
            while (items.MoveNext(out object? item))
            {
                locals[slot] = item;
                object? result = body(activation, locals);
                if (result is not bool b)
                {
                    return NotBool(result, "exists_one");
                }

                count += b ? 1 : 0;
            }

            return CelValue.Bool(count == 1);
        }
        finally
        {
            items.Dispose();
        }
    }

    /// <summary><c>filter</c>: the elements for which the predicate is true; errors propagate.</summary>
    public static object? Filter(object? range, int slot, CelEvaluator body, ICelActivation activation, object?[] locals) =>
        Collect(range, slot, body, null, activation, locals, "filter");

    /// <summary><c>map</c>: the transform of each element (of those passing <paramref name="filter"/> if given); errors propagate.</summary>
    public static object? Map(object? range, int slot, CelEvaluator? filter, CelEvaluator transform, ICelActivation activation, object?[] locals) =>
        Collect(range, slot, filter, transform, activation, locals, "map");

    private static object? Quantify(object? range, int slot, CelEvaluator body, ICelActivation activation, object?[] locals, bool stopOn, string name)
    {
        if (!CelRangeEnumerator.TryCreate(range, out CelRangeEnumerator items))
        {
            return NotIterable(range, name);
        }

        try
        {
            object? error = null;
            while (items.MoveNext(out object? item))
            {
                locals[slot] = item;
                object? result = body(activation, locals);
                if (result is bool b)
                {
                    if (b == stopOn)
                    {
                        return CelValue.Bool(stopOn);
                    }
                }
                else
                {
                    error ??= NotBool(result, name);
                }
            }

            return error ?? CelValue.Bool(!stopOn);
        }
        finally
        {
            items.Dispose();
        }
    }

    private static object? Collect(object? range, int slot, CelEvaluator? filter, CelEvaluator? transform, ICelActivation activation, object?[] locals, string name)
    {
        if (!CelRangeEnumerator.TryCreate(range, out CelRangeEnumerator items))
        {
            return NotIterable(range, name);
        }

        try
        {
            var output = new List<object?>();
            while (items.MoveNext(out object? item))
            {
                locals[slot] = item;
                if (filter is not null)
                {
                    object? keep = filter(activation, locals);
                    if (keep is not bool b)
                    {
                        return NotBool(keep, name);
                    }

                    if (!b)
                    {
                        continue;
                    }
                }

                object? value = transform is null ? item : transform(activation, locals);
                if (value is CelError)
                {
                    return value;
                }

                output.Add(value);
            }

            return output;
        }
        finally
        {
            items.Dispose();
        }
    }

    private static object NotIterable(object? range, string name) =>
        range as CelError ?? CelErrors.NoSuchOverload($"{name}() over {CelValue.TypeName(range)} (expected a list or map)");

    private static object NotBool(object? result, string name) =>
        result as CelError ?? CelErrors.NoSuchOverload($"{name}() predicate returned {CelValue.TypeName(result)}, expected bool");
}
