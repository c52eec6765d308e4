namespace Keel.Bundles;

/// <summary>An agent bundle could not be loaded. The message reads <c>file:line:column: problem. fix</c> (line and column 1-based, omitted when unknown).</summary>
public sealed class BundleLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BundleLoadException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message.</param>
    public BundleLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The cause.</param>
    public BundleLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a position in a file.</summary>
    /// <param name="file">The file.</param>
    /// <param name="line">1-based line, or 0 when unknown.</param>
    /// <param name="column">1-based column, or 0 when unknown.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BundleLoadException(string file, int line, int column, string problem, Exception? innerException = null)
        : base(Format(file, line, column, problem), innerException)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string? File { get; }

    /// <summary>1-based line, 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column, 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>What is wrong and how to fix it, without the position.</summary>
    public string? Problem { get; }

    internal static string Format(string file, int line, int column, string problem) =>
        line <= 0 ? $"{file}: {problem}" : column <= 0 ? $"{file}:{line}: {problem}" : $"{file}:{line}:{column}: {problem}";
}
