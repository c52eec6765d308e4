namespace Keel.Policies.Cel;

/// <summary>
/// Thrown when a CEL expression cannot be compiled: a syntax error, an unknown function, a wrong
/// argument count, or an invalid regex, timestamp or duration literal.
/// </summary>
/// <remarks>
/// <see cref="Line"/> and <see cref="Column"/> are 1-based and count UTF-16 characters within the
/// expression source (a tab is one column), so a linter can add the expression's own position in
/// a policy file. <see cref="Exception.Message"/> is <c>line:column: detail</c>, for example
/// <c>1:17: unexpected ')'; expected an expression</c>. The message quotes only the expression.
/// </remarks>
public sealed class CelParseException : Exception
{
    /// <summary>Creates an exception for a problem at 1:1.</summary>
    public CelParseException()
        : this(1, 1, "invalid expression")
    {
    }

    /// <summary>Creates an exception for a problem at 1:1 with a detail.</summary>
    /// <param name="message">The detail.</param>
    public CelParseException(string message)
        : this(1, 1, message)
    {
    }

    /// <summary>Creates an exception for a problem at 1:1 with a detail and a cause.</summary>
    /// <param name="message">The detail.</param>
    /// <param name="innerException">The cause.</param>
    public CelParseException(string message, Exception innerException)
        : base($"1:1: {message}", innerException)
    {
        Line = 1;
        Column = 1;
        Detail = message;
    }

    /// <summary>Creates an exception for a problem at a position in the expression.</summary>
    /// <param name="line">The 1-based line of the offending token.</param>
    /// <param name="column">The 1-based column of the offending token.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    public CelParseException(int line, int column, string detail)
        : base($"{line}:{column}: {detail}")
    {
        Line = line;
        Column = column;
        Detail = detail;
    }

    /// <summary>Gets the 1-based line of the offending token within the expression.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column of the offending token within its line.</summary>
    public int Column { get; }

    /// <summary>Gets what is wrong and how to fix it, without the position.</summary>
    public string Detail { get; }
}
