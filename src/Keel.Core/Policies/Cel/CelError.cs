namespace Keel.Policies.Cel;

/// <summary>
/// An error value produced when a CEL expression cannot be evaluated on the data it is given,
/// such as a missing map key, an operator applied to the wrong types, or a division by zero.
/// </summary>
/// <remarks>
/// As in the CEL specification, errors are values rather than exceptions: they propagate through
/// operators and functions, and only <c>&amp;&amp;</c>, <c>||</c>, <c>?:</c>, <c>all</c> and
/// <c>exists</c> can absorb them. <see cref="CelProgram.Evaluate"/> returns an instance of this
/// type instead of throwing. The message may quote map keys taken from the evaluated data, so it
/// is meant for the person reviewing a policy decision. Instances are immutable and thread-safe.
/// </remarks>
public sealed class CelError
{
    /// <summary>Creates an error value with a message for a person.</summary>
    /// <param name="message">What went wrong, e.g. <c>no such key: 'cabin'</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> is null or empty.</exception>
    public CelError(string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        Message = message;
    }

    /// <summary>Gets what went wrong, e.g. <c>no such overload: string + int</c>.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => Message;
}
