namespace Keel.Model;

/// <summary>What kind of error a failed tool call was, as the executor that saw it knows it. Decides whether a retry may help
/// (<see cref="Failures.FailureClassifier.IsTransient(ToolResult)"/>).</summary>
public enum ToolErrorKind
{
    /// <summary>Not known to the executor: a recorded result, or the tool's own error text. Classified from the text by
    /// <see cref="Failures.FailureClassifier.IsTransient(string)"/> (timeouts, rate limits, HTTP 429/502/503/504, …).</summary>
    Unclassified,

    /// <summary>The tool or the route to it refused the call for good (unknown tool, arguments it cannot take): retrying the same
    /// call gives the same answer.</summary>
    Semantic,

    /// <summary>The tool could not be reached or did not answer in time (upstream unavailable, connection lost, timed out, no
    /// capacity): the same call may succeed later.</summary>
    Transient,
}
