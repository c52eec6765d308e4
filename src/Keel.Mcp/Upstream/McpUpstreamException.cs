namespace Keel.Mcp.Upstream;

/// <summary>An upstream MCP tool server could not answer a call: it is unreachable, its connection closed, or it took too long.</summary>
/// <remarks>The message is written for the agent and the run's record: it names the upstream and says whether the call may have
/// run, and never carries the underlying exception's text (which can hold command lines, paths or headers). The underlying
/// exception, when there is one, is <see cref="Exception.InnerException"/> for logs.</remarks>
public sealed class McpUpstreamException : Exception
{
    /// <summary>Creates an exception.</summary>
    public McpUpstreamException()
        : this(McpUpstreamFailure.Unavailable, "the upstream tool server is unavailable")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">A message with no secrets.</param>
    public McpUpstreamException(string message)
        : this(McpUpstreamFailure.Unavailable, message)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">A message with no secrets.</param>
    /// <param name="innerException">The cause, kept for logs.</param>
    public McpUpstreamException(string message, Exception? innerException)
        : this(McpUpstreamFailure.Unavailable, message, innerException)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="failure">What went wrong.</param>
    /// <param name="message">A message with no secrets.</param>
    /// <param name="innerException">The cause, kept for logs.</param>
    public McpUpstreamException(McpUpstreamFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong.</summary>
    public McpUpstreamFailure Failure { get; }

    /// <summary>Whether the upstream may have run the call (the request was sent and no answer came back).</summary>
    public bool MayHaveRun => Failure is McpUpstreamFailure.ConnectionLost or McpUpstreamFailure.TimedOut;
}

/// <summary>Why an upstream MCP tool server could not answer.</summary>
public enum McpUpstreamFailure
{
    /// <summary>Not connected, and connecting failed or is waiting for its next attempt; the call was not sent.</summary>
    Unavailable,

    /// <summary>The connection closed while the call was in flight; whether it ran is unknown.</summary>
    ConnectionLost,

    /// <summary>No answer within <see cref="McpUpstreamOptions.CallTimeout"/>; whether it ran is unknown.</summary>
    TimedOut,
}
