namespace Keel.TauTools.Data;

/// <summary>A database folder cannot be used: a table file is missing, unreadable or not a JSON object. The message names the file and the fix.</summary>
public sealed class TauDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TauDataException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, with the file and the fix.</param>
    public TauDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, with the file and the fix.</param>
    /// <param name="innerException">The I/O or JSON error.</param>
    public TauDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
