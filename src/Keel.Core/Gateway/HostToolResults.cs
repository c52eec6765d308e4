using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>What became of a result the agent's host reported for a call (<see cref="HostToolResults.Record"/>).</summary>
public enum HostResultStatus
{
    /// <summary>The result was appended to the run as a <see cref="ToolResultEvent"/> with <see cref="ToolResultEvent.Source"/> <c>host</c>.</summary>
    Recorded,

    /// <summary>The same result (status and output) was already recorded for the call: nothing changed (a retry).</summary>
    AlreadyRecorded,

    /// <summary>The run has no call with this id.</summary>
    UnknownCall,

    /// <summary>Keel did not allow the call (denied, held, escalated, plan required): the function must not have run.</summary>
    NotAllowed,

    /// <summary>The call already has a result: its upstream tool ran it, or the host reported a different one.</summary>
    ResultExists,
}

/// <summary>The answer of <see cref="HostToolResults.Record"/>: a value for every expected refusal, never an exception.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Event">The host result event of the call (new, or the one recorded before); <see langword="null"/> when refused.</param>
/// <param name="Detail">For a refusal, a sentence naming the call and why; <see langword="null"/> otherwise.</param>
public sealed record HostResultRecording(HostResultStatus Status, ToolResultEvent? Event, string? Detail);

/// <summary>Records the result of a call Keel allowed and the agent's host executed itself (a decisions-only gateway, the SDK's
/// <c>UseKeel</c>): appended to the run after the call's own <c>not_executed</c> result, fed to the run's state (facts, writes,
/// provenance) and its observer (the monitors: claim/result, untrusted instructions, escalation signals), and an error classified
/// as the <c>result_check</c> stage would (<see cref="FailureClassifier.ToolError"/>).</summary>
/// <remarks>Not thread-safe: call it under the run's lock, as every change to a live run is made.</remarks>
public static class HostToolResults
{
    /// <summary>Records a host's result for one call of the run.</summary>
    /// <param name="state">The run's state (its <see cref="RunState.Run"/> receives the event).</param>
    /// <param name="agent">The agent version that governs the run (tool definitions, handoff team).</param>
    /// <param name="callId">The call's id as proposed.</param>
    /// <param name="status"><see cref="ToolResultStatus.Ok"/> or <see cref="ToolResultStatus.Error"/>.</param>
    /// <param name="output">The function's result as text (JSON or plain text), or its error text.</param>
    /// <param name="now">When it is recorded (the run's clock).</param>
    /// <param name="storedWith">The redactor the store seals events with (the container's <see cref="Redaction.Redactor"/>): a run rebuilt
    /// from the store holds results in that redacted form, so a retry of the same result is recognised by it; <see langword="null"/>
    /// for <see cref="Redaction.Redactor.Default"/>.</param>
    /// <returns>The recording; refusals (<see cref="HostResultStatus.UnknownCall"/>, <see cref="HostResultStatus.NotAllowed"/>,
    /// <see cref="HostResultStatus.ResultExists"/>) change nothing.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <see cref="ToolResultStatus.NotExecuted"/>: a host reports only functions that ran.</exception>
    public static HostResultRecording Record(RunState state, AgentVersion agent, string callId, ToolResultStatus status, string output, DateTimeOffset now, Redaction.Redactor? storedWith = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(output);
        if (status == ToolResultStatus.NotExecuted)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "a host reports the result of a function that ran: ok or error");
        }

        var run = state.Run;
        ToolCall? call = null;
        Decision? decision = null;
        ToolResultEvent? last = null;
        foreach (var runEvent in run.Events)
        {
            switch (runEvent)
            {
                case ToolCallEvent proposed when proposed.Call.Id == callId:
                    call = proposed.Call;
                    break;
                case DecisionEvent decided when decided.CallId == callId:
                    decision = decided.Decision;
                    break;
                case ToolResultEvent recorded when recorded.Result.CallId == callId:
                    last = recorded;
                    break;
            }
        }

        if (call is null)
        {
            return new(HostResultStatus.UnknownCall, null, $"run '{run.Id}' has no call '{callId}'; report a result only for a call proposed in this run");
        }

        if (decision is not { Kind: DecisionKind.Allow })
        {
            var kind = decision is null ? "not decided" : Storage.RunEventJson.EnumName(decision.Kind);
            return new(HostResultStatus.NotAllowed, null, $"call '{callId}' ({call.ToolName}) was {kind}, not allowed: its function must not run, so it has no result to record");
        }

        // A run rebuilt from the store holds sealed events, whose output is the redacted form of the one sent again.
        if (last is { Source: ToolResultEvent.HostSource } && last.Result.Status == status
            && (last.Result.Output == output || last.Result.Output == (storedWith ?? Redaction.Redactor.Default).Redact(output)))
        {
            return new(HostResultStatus.AlreadyRecorded, last, null);
        }

        if (last is not null && last.Result.Status != ToolResultStatus.NotExecuted)
        {
            var who = last.Source == ToolResultEvent.HostSource ? "the host already reported a different result" : "its upstream tool ran it";
            return new(HostResultStatus.ResultExists, null, $"call '{callId}' ({call.ToolName}) already has a result (event {last.Sequence}): {who}");
        }

        var result = new ToolResult(callId, status, output);
        var stored = run.Append(new ToolResultEvent(result, call.ToolName) { Timestamp = now, Source = ToolResultEvent.HostSource });
        var tool = agent.Tools.TryGet(call.ToolName, out var definition) ? definition : null;
        ToolCallFingerprint.Compute(call, out var arguments);
        state.OnToolResult(tool, call, arguments, result, stored.Sequence);
        if (status == ToolResultStatus.Error)
        {
            run.AddFailure(FailureClassifier.ToolError(tool, call, result, stored.Sequence, agent.Handoff.Team));
        }

        state.Observe(stored);
        return new(HostResultStatus.Recorded, stored, null);
    }
}
