using System.Collections.Frozen;

namespace Keel.Policies.Cel;

/// <summary>
/// The functions and macros the compiler supports, with their argument counts, checked when an
/// expression is compiled so that a typo fails in lint rather than at evaluation.
/// </summary>
internal static class CelFunctionCatalog
{
    /// <summary>Functions called as <c>f(x)</c>: name to (min, max) argument count.</summary>
    private static readonly FrozenDictionary<string, (int Min, int Max)> Globals = new Dictionary<string, (int, int)>
    {
        ["has"] = (1, 1),
        ["size"] = (1, 1),
        ["int"] = (1, 1),
        ["double"] = (1, 1),
        ["string"] = (1, 1),
        ["bool"] = (1, 1),
        ["timestamp"] = (1, 1),
        ["duration"] = (1, 1),
        ["dyn"] = (1, 1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Functions and macros called as <c>x.f(y)</c>: name to (min, max) argument count.</summary>
    private static readonly FrozenDictionary<string, (int Min, int Max)> Methods = new Dictionary<string, (int, int)>
    {
        ["all"] = (2, 2),
        ["exists"] = (2, 2),
        ["exists_one"] = (2, 2),
        ["filter"] = (2, 2),
        ["map"] = (2, 3),
        ["size"] = (0, 0),
        ["contains"] = (1, 1),
        ["startsWith"] = (1, 1),
        ["endsWith"] = (1, 1),
        ["matches"] = (1, 1),
        ["lowerAscii"] = (0, 0),
        ["upperAscii"] = (0, 0),
        ["trim"] = (0, 0),
        ["indexOf"] = (1, 1),
        ["lastIndexOf"] = (1, 1),
        ["sum"] = (0, 0),
        ["min"] = (0, 0),
        ["max"] = (0, 0),
        ["getFullYear"] = (0, 1),
        ["getMonth"] = (0, 1),
        ["getDate"] = (0, 1),
        ["getDayOfMonth"] = (0, 1),
        ["getDayOfWeek"] = (0, 1),
        ["getDayOfYear"] = (0, 1),
        ["getHours"] = (0, 1),
        ["getMinutes"] = (0, 1),
        ["getSeconds"] = (0, 1),
        ["getMilliseconds"] = (0, 1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CelMacro> Macros = new Dictionary<string, CelMacro>
    {
        ["all"] = CelMacro.All,
        ["exists"] = CelMacro.Exists,
        ["exists_one"] = CelMacro.ExistsOne,
        ["filter"] = CelMacro.Filter,
        ["map"] = CelMacro.Map,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every supported name, sorted, as listed in the "unknown function" message.</summary>
    public static readonly string SupportedNames = string.Join(", ", Globals.Keys.Union(Methods.Keys).Order(StringComparer.Ordinal));

    /// <summary>Gets the macro a method name denotes, if any.</summary>
    public static bool TryGetMacro(string name, out CelMacro macro) => Macros.TryGetValue(name, out macro);

    /// <summary>Checks a global call <c>name(args)</c>.</summary>
    /// <exception cref="CelParseException">The name is unknown, only a method, or has the wrong argument count.</exception>
    public static void CheckGlobal(CelToken name, int argumentCount)
    {
        if (!Globals.TryGetValue(name.Text, out (int Min, int Max) arity))
        {
            throw Methods.ContainsKey(name.Text)
                ? Error(name, $"{name.Text}() is a method; call it on a value, e.g. x.{name.Text}({(Methods[name.Text].Min > 0 ? "..." : string.Empty)})")
                : Unknown(name);
        }

        CheckArity(name, arity, argumentCount, asMethod: false);
    }

    /// <summary>Checks a method call <c>x.name(args)</c>.</summary>
    /// <exception cref="CelParseException">The name is unknown, only a global function, or has the wrong argument count.</exception>
    public static void CheckMethod(CelToken name, int argumentCount)
    {
        if (!Methods.TryGetValue(name.Text, out (int Min, int Max) arity))
        {
            throw Globals.ContainsKey(name.Text)
                ? Error(name, $"{name.Text}() is not a method; write {name.Text}(x)")
                : Unknown(name);
        }

        CheckArity(name, arity, argumentCount, asMethod: true);
    }

    private static void CheckArity(CelToken name, (int Min, int Max) arity, int count, bool asMethod)
    {
        if (count >= arity.Min && count <= arity.Max)
        {
            return;
        }

        string expected = arity.Min == arity.Max
            ? arity.Min switch { 0 => "no arguments", 1 => "1 argument", _ => $"{arity.Min} arguments" }
            : $"{arity.Min} or {arity.Max} arguments";
        string form = asMethod && Globals.ContainsKey(name.Text) ? " when called as a method" : string.Empty;
        throw Error(name, $"{name.Text}() takes {expected}{form}, got {count}");
    }

    private static CelParseException Unknown(CelToken name) =>
        Error(name, $"unknown function '{name.Text}'; supported: {SupportedNames}");

    private static CelParseException Error(CelToken token, string detail) => new(token.Line, token.Column, detail);
}
