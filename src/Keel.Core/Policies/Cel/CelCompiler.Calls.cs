using System.Text.RegularExpressions;

namespace Keel.Policies.Cel;

/// <summary>Compiles list and map literals, comprehension macros and function calls.</summary>
internal sealed partial class CelCompiler
{
    private Compiled CompileList(CelListLiteral list)
    {
        var items = new Compiled[list.Items.Count];
        var evals = new CelEvaluator[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = CompileNode(list.Items[i]);
            evals[i] = items[i].Eval;
        }

        return Fold(
            (a, x) =>
            {
                var result = new object?[evals.Length];
                for (int i = 0; i < evals.Length; i++)
                {
                    object? value = evals[i](a, x);
                    if (value is CelError)
                    {
                        return value;
                    }

                    result[i] = value;
                }

                return result;
            },
            items);
    }

    private Compiled CompileMap(CelMapLiteral map)
    {
        var parts = new Compiled[map.Entries.Count * 2];
        var keys = new CelEvaluator[map.Entries.Count];
        var values = new CelEvaluator[map.Entries.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            parts[2 * i] = CompileNode(map.Entries[i].Key);
            parts[(2 * i) + 1] = CompileNode(map.Entries[i].Value);
            keys[i] = parts[2 * i].Eval;
            values[i] = parts[(2 * i) + 1].Eval;
        }

        return Fold(
            (a, x) =>
            {
                var result = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
                for (int i = 0; i < keys.Length; i++)
                {
                    object? key = keys[i](a, x);
                    if (key is not string name)
                    {
                        return key as CelError ?? CelErrors.NoSuchOverload($"map key of type {CelValue.TypeName(key)} (map keys must be strings)");
                    }

                    object? value = values[i](a, x);
                    if (value is CelError)
                    {
                        return value;
                    }

                    if (!result.TryAdd(name, value))
                    {
                        return new CelError($"repeated map key: {CelErrors.Quote(name)}");
                    }
                }

                return result;
            },
            parts);
    }

    private Compiled CompileComprehension(CelComprehension comprehension)
    {
        Compiled range = CompileNode(comprehension.Range);
        int slot = _slotCount++;
        _scope.Add(new(comprehension.Variable, slot));
        CelEvaluator body = CompileNode(comprehension.Body).Eval;
        CelEvaluator? transform = comprehension.Transform is null ? null : CompileNode(comprehension.Transform).Eval;
        _scope.RemoveAt(_scope.Count - 1);

        CelEvaluator r = range.Eval;
        return Compiled.Dynamic(comprehension.Macro switch
        {
            CelMacro.All => (a, x) => CelComprehensions.All(r(a, x), slot, body, a, x),
            CelMacro.Exists => (a, x) => CelComprehensions.Exists(r(a, x), slot, body, a, x),
            CelMacro.ExistsOne => (a, x) => CelComprehensions.ExistsOne(r(a, x), slot, body, a, x),
            CelMacro.Filter => (a, x) => CelComprehensions.Filter(r(a, x), slot, body, a, x),
            _ when transform is null => (a, x) => CelComprehensions.Map(r(a, x), slot, null, body, a, x),
            _ => (a, x) => CelComprehensions.Map(r(a, x), slot, body, transform, a, x),
        });
    }

    private Compiled CompileCall(CelCall call) =>
        call.Target is null ? CompileGlobal(call) : CompileMethod(call, CompileNode(call.Target));

    private Compiled CompileGlobal(CelCall call)
    {
        CelExpr argument = call.Args[0];
        Compiled arg = CompileNode(argument);
        CelEvaluator g = arg.Eval;
        return call.Function switch
        {
            "dyn" => arg,
            "size" => Fold((a, x) => CelAccess.Size(g(a, x)), arg),
            "int" => Fold((a, x) => CelConversions.ToInt(g(a, x)), arg),
            "double" => Fold((a, x) => CelConversions.ToDouble(g(a, x)), arg),
            "string" => Fold((a, x) => CelConversions.ToStringValue(g(a, x)), arg),
            "bool" => Fold((a, x) => CelConversions.ToBool(g(a, x)), arg),
            "timestamp" => Validated(Fold((a, x) => CelConversions.ToTimestamp(g(a, x)), arg), argument, "timestamp"),
            "duration" => Validated(Fold((a, x) => CelConversions.ToDuration(g(a, x)), arg), argument, "duration"),
            _ => throw Unimplemented(call.Function),
        };
    }

    private Compiled CompileMethod(CelCall call, Compiled target)
    {
        CelEvaluator t = target.Eval;
        if (CelTimeAccessors.TryGetPart(call.Function, out CelTimePart part))
        {
            if (call.Args.Count == 0)
            {
                return Fold((a, x) => CelTimeAccessors.Get(t(a, x), part, null), target);
            }

            Compiled zone = CompileNode(call.Args[0]);
            CelEvaluator z = zone.Eval;
            return Fold((a, x) => CelTimeAccessors.Get(t(a, x), part, z(a, x)), target, zone);
        }

        if (call.Args.Count == 0)
        {
            return Fold(
                call.Function switch
                {
                    "size" => (a, x) => CelAccess.Size(t(a, x)),
                    "lowerAscii" => (a, x) => CelStrings.LowerAscii(t(a, x)),
                    "upperAscii" => (a, x) => CelStrings.UpperAscii(t(a, x)),
                    "trim" => (a, x) => CelStrings.Trim(t(a, x)),
                    "sum" => (a, x) => CelLists.Sum(t(a, x)),
                    "min" => (a, x) => CelLists.Extreme(t(a, x), max: false),
                    "max" => (a, x) => CelLists.Extreme(t(a, x), max: true),
                    _ => throw Unimplemented(call.Function),
                },
                target);
        }

        if (call.Function == "matches")
        {
            return CompileMatches(t, target, call.Args[0]);
        }

        Compiled arg = CompileNode(call.Args[0]);
        CelEvaluator g = arg.Eval;
        CelEvaluator eval = call.Function switch
        {
            "contains" => (a, x) => CelStrings.Contains(t(a, x), g(a, x)),
            "startsWith" => (a, x) => CelStrings.StartsWith(t(a, x), g(a, x)),
            "endsWith" => (a, x) => CelStrings.EndsWith(t(a, x), g(a, x)),
            "indexOf" => (a, x) => CelLists.IndexOf(t(a, x), g(a, x), last: false),
            "lastIndexOf" => (a, x) => CelLists.IndexOf(t(a, x), g(a, x), last: true),
            _ => throw Unimplemented(call.Function),
        };
        return Fold(eval, target, arg);
    }

    /// <summary>Compiles <c>matches()</c>; a literal pattern is compiled to a regex once, here, and checked.</summary>
    private Compiled CompileMatches(CelEvaluator t, Compiled target, CelExpr patternExpr)
    {
        Compiled pattern = CompileNode(patternExpr);
        if (pattern.IsConstant && pattern.Value is string literal)
        {
            if (!CelRegexCache.TryCreate(literal, out Regex? regex, out string? problem))
            {
                throw new CelParseException(patternExpr.Line, patternExpr.Column, $"invalid regular expression {CelErrors.Quote(literal)}: {problem}");
            }

            return Fold((a, x) => CelStrings.Matches(t(a, x), regex!), target);
        }

        CelEvaluator p = pattern.Eval;
        return Fold((a, x) => CelStrings.Matches(t(a, x), p(a, x)), target, pattern);
    }

    /// <summary>Turns a literal argument that can never convert (e.g. <c>duration('24x')</c>) into a compile error.</summary>
    private static Compiled Validated(Compiled result, CelExpr argument, string function) =>
        result.IsConstant && result.Value is CelError error && argument is CelLiteral
            ? throw new CelParseException(argument.Line, argument.Column, $"invalid {function} literal: {error.Message}")
            : result;

    private static InvalidOperationException Unimplemented(string function) =>
        new($"CEL function '{function}' is in the catalog but has no implementation.");
}
