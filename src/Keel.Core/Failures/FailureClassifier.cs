using System.Text.RegularExpressions;
using Keel.Model;
using Keel.Tools;

namespace Keel.Failures;

/// <summary>Classifies failures into the taxonomy of the product brief and picks a disposition.</summary>
/// <remarks>Dispositions: retry only transient failures of idempotent tools; a transient failure of a non-idempotent tool
/// escalates (nobody knows whether the write happened); semantic tool errors, schema and budget failures stop safely
/// (the agent is told and may go on); loops stop safely; holds for approval, escalations and permission failures go to a human.</remarks>
public static partial class FailureClassifier
{
    /// <summary>Whether a tool error message describes a transient condition (timeout, rate limit, unavailable, connection reset, HTTP 429/502/503/504).</summary>
    /// <param name="message">The tool's error text.</param>
    /// <returns><see langword="true"/> for a transient error.</returns>
    public static bool IsTransient(string message) => TransientRegex().IsMatch(message);

    /// <summary>Whether an error result is transient: by its <see cref="ToolResult.ErrorKind"/> when the executor set one, by its
    /// text (<see cref="IsTransient(string)"/>) when unclassified (recorded runs, a tool's own error text).</summary>
    /// <param name="result">The result.</param>
    /// <returns><see langword="true"/> for a transient error; <see langword="false"/> for a success or a call that did not run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static bool IsTransient(ToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status == ToolResultStatus.Error && result.ErrorKind switch
        {
            ToolErrorKind.Transient => true,
            ToolErrorKind.Semantic => false,
            _ => IsTransient(result.Output),
        };
    }

    /// <summary>Classifies a tool that ran and reported an error.</summary>
    /// <param name="tool">The tool, or <see langword="null"/> when unknown.</param>
    /// <param name="call">The call.</param>
    /// <param name="result">The error result.</param>
    /// <param name="eventSequence">The event it is about, if recorded.</param>
    /// <param name="handoffTeam">Team an escalation goes to. The default is <c>support</c>.</param>
    /// <param name="retriesExhausted">Whether bounded retries were already spent; a transient failure then escalates.</param>
    /// <returns>A <see cref="FailureClass.ToolTransient"/> or <see cref="FailureClass.ToolSemantic"/> failure.</returns>
    public static Failure ToolError(ToolDefinition? tool, ToolCall call, ToolResult result, long? eventSequence = null, string handoffTeam = "support", bool retriesExhausted = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(result);
        var message = result.Output.Length > 300 ? result.Output[..300] + "…" : result.Output;
        if (IsTransient(result))
        {
            var retry = tool?.IsIdempotent == true && !retriesExhausted;
            var why = retry ? $"{call.ToolName} failed transiently: {message}"
                : retriesExhausted ? $"{call.ToolName} still failed after its retries: {message}"
                : $"{call.ToolName} failed transiently and is not idempotent, so it is not retried: {message}";
            return new Failure(FailureClass.ToolTransient, retry ? Disposition.Retry : Disposition.Escalate, why, eventSequence, call.ToolName,
                HandoffTarget: retry ? null : handoffTeam);
        }

        return new Failure(FailureClass.ToolSemantic, Disposition.SafeStop, $"{call.ToolName} refused the call: {message}", eventSequence, call.ToolName);
    }

    /// <summary>Classifies a call the pipeline stopped or held.</summary>
    /// <param name="decision">The stopping decision.</param>
    /// <param name="failureClass">The class the stage assigns.</param>
    /// <param name="call">The call.</param>
    /// <param name="handoffTeam">Team for escalations.</param>
    /// <returns>The failure.</returns>
    public static Failure Stopped(Decision decision, FailureClass failureClass, ToolCall call, string handoffTeam)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(call);
        var disposition = decision.Kind is DecisionKind.Escalate or DecisionKind.RequireApproval || failureClass == FailureClass.Permission
            ? Disposition.Escalate
            : Disposition.SafeStop;
        return new Failure(failureClass, disposition, decision.Reason, null, call.ToolName, decision.RuleId,
            HandoffTarget: disposition == Disposition.Escalate ? handoffTeam : null,
            ImpliesNarrowerPermissions: failureClass is FailureClass.Permission or FailureClass.Injection);
    }

    /// <summary>The words that mark a call whose outcome is unknown: a tool that is not idempotent was called but gave no answer.</summary>
    public const string OutcomeUnknown = "outcome unknown — the tool may have acted";

    /// <summary>Classifies a call the execute stage gave up on without an answer from the tool: its last attempt timed out, or
    /// its executor raised an exception (broken infrastructure). Always escalates: for a tool that is not idempotent nobody knows
    /// whether it acted (<see cref="OutcomeUnknown"/>), and an idempotent tool that keeps failing this way needs a person.</summary>
    /// <param name="tool">The tool, or <see langword="null"/> when unknown (treated as not idempotent).</param>
    /// <param name="call">The call.</param>
    /// <param name="what">What happened, without secrets, e.g. <c>timed out after 10000 ms</c>.</param>
    /// <param name="retryCount">Retries made before giving up.</param>
    /// <param name="handoffTeam">Team the escalation goes to. The default is <c>support</c>.</param>
    /// <returns>A <see cref="FailureClass.ToolTransient"/> failure with <see cref="Disposition.Escalate"/>.</returns>
    public static Failure Unanswered(ToolDefinition? tool, ToolCall call, string what, int retryCount, string handoffTeam = "support")
    {
        ArgumentNullException.ThrowIfNull(call);
        var message = tool?.IsIdempotent == true
            ? retryCount > 0 ? $"{call.ToolName} {what}, still after {retryCount} retries" : $"{call.ToolName} {what}"
            : $"{call.ToolName} {what}; {OutcomeUnknown}, and it is not idempotent, so it is not retried: a person must check whether it took effect";
        return new Failure(FailureClass.ToolTransient, Disposition.Escalate, message, null, call.ToolName, RetryCount: retryCount, HandoffTarget: handoffTeam);
    }

    /// <summary>Classifies a call refused because the tool's circuit breaker is open: transient (the tool is unavailable for now);
    /// it stops safely rather than escalating, because the tool was not called, so nothing is in doubt, and the agent is told when
    /// to try again.</summary>
    /// <param name="call">The call.</param>
    /// <param name="until">When the circuit lets a probe call through again (the gateway's clock, UTC).</param>
    /// <param name="retryCount">Retries made before the circuit refused the call.</param>
    /// <returns>A <see cref="FailureClass.ToolTransient"/> failure with <see cref="Disposition.SafeStop"/>.</returns>
    public static Failure CircuitOpen(ToolCall call, DateTimeOffset until, int retryCount = 0)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new Failure(FailureClass.ToolTransient, Disposition.SafeStop,
            $"{call.ToolName} is temporarily unavailable: its circuit is open until {until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)} after repeated failures; the tool was not called",
            null, call.ToolName, RetryCount: retryCount);
    }

    [GeneratedRegex(@"time[d ]?out|timed out|temporar(y|ily)|unavailable|rate.?limit|too many requests|connection (reset|refused|closed)|try again|\b(http|status|code)\W{0,3}(429|50[234])\b|\b(429|50[234])\W{0,3}(too many|bad gateway|service unavailable|gateway time)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex TransientRegex();
}
