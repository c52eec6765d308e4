using System.Diagnostics.CodeAnalysis;

namespace Keel.Policies.Cel;

/// <summary>
/// A compiled expression in Keel's subset of Google's Common Expression Language (CEL), such as a
/// policy condition <c>args.amount &lt;= 500 &amp;&amp; args.currency == 'USD'</c>.
/// </summary>
/// <remarks>
/// <para>
/// The source is parsed once and compiled to a tree of delegates; <see cref="Evaluate"/> neither
/// interprets a syntax tree nor throws for bad data: a missing key, a type mismatch or an overflow
/// comes back as a <see cref="CelError"/> value. The supported subset, its deviations from the CEL
/// specification (https://github.com/google/cel-spec) and every error message are listed in
/// <c>docs/policy-cel.md</c>.
/// </para>
/// <para>Instances are immutable and thread-safe: one program may be evaluated on many threads at once.</para>
/// </remarks>
public sealed class CelProgram
{
    private readonly CelEvaluator _root;
    private readonly int _slotCount;

    private CelProgram(string source, CelCompilation compilation)
    {
        Source = source;
        _root = compilation.Root;
        _slotCount = compilation.SlotCount;
        Variables = compilation.Variables;
    }

    /// <summary>Gets the expression text this program was compiled from.</summary>
    public string Source { get; }

    /// <summary>
    /// Gets the top-level identifiers the expression reads (e.g. <c>args</c>, <c>facts</c>, <c>now</c>),
    /// excluding macro loop variables; compared ordinally.
    /// </summary>
    public IReadOnlySet<string> Variables { get; }

    /// <summary>Parses and compiles an expression.</summary>
    /// <param name="source">The CEL expression; it may span several lines.</param>
    /// <returns>The compiled program.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="CelParseException">The expression is invalid; the exception gives the 1-based line and column.</exception>
    public static CelProgram Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CelExpr ast = CelParser.Parse(source);
        return new CelProgram(source, CelCompiler.Compile(ast));
    }

    /// <summary>Parses and compiles an expression, reporting a problem instead of throwing.</summary>
    /// <param name="source">The CEL expression; it may span several lines.</param>
    /// <param name="program">The compiled program, or null when compilation failed.</param>
    /// <param name="error">The problem with its position, or null when compilation succeeded.</param>
    /// <returns>True if the expression compiled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static bool TryCompile(string source, [NotNullWhen(true)] out CelProgram? program, [NotNullWhen(false)] out CelParseException? error)
    {
        try
        {
            program = Compile(source);
            error = null;
            return true;
        }
        catch (CelParseException ex)
        {
            program = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Evaluates the expression against the given variables.</summary>
    /// <param name="activation">Supplies the top-level variables.</param>
    /// <returns>
    /// The result: null, bool, long, double, string, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>,
    /// a list (<see cref="IReadOnlyList{T}"/>), a map (<see cref="IReadOnlyDictionary{TKey, TValue}"/>),
    /// a <see cref="System.Text.Json.JsonElement"/> object or array taken from the input, or a
    /// <see cref="CelError"/> when the data does not fit the expression.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    public object? Evaluate(ICelActivation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        object?[] locals = _slotCount == 0 ? [] : new object?[_slotCount];
        return _root(activation, locals);
    }

    /// <inheritdoc />
    public override string ToString() => Source;
}
