using System.Text.Json;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Rebuilds the pipeline's state of a live run from its stored event record, so a run survives a server restart:
/// the conversation, facts from read results, provenance, call fingerprints and counters come back as they were.</summary>
/// <remarks>Model usage (tokens, USD) comes back from the messages that carry it (<see cref="MessageEvent.Usage"/>); usage of a
/// reply the message gate held, and of runs stored before messages carried it, is not on a message, so those counters restart
/// lower; the workspace budget, which is stored, still holds.</remarks>
public static class RunStateRestorer
{
    /// <summary>Feeds every event of <paramref name="run"/> to a new <see cref="RunState"/>.</summary>
    /// <param name="run">The run as loaded from the store, events in sequence order.</param>
    /// <param name="agent">The agent version that governs it (for tool definitions).</param>
    /// <returns>The state, without an observer (monitors see only new events).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static RunState Restore(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(agent);
        var state = new RunState(run);
        var calls = new Dictionary<string, (ToolCall Call, JsonElement Arguments)>(StringComparer.Ordinal);
        foreach (var runEvent in run.Events)
        {
            switch (runEvent)
            {
                case MessageEvent message:
                    state.OnMessage(message.Role, message.Content, message.Sequence);
                    if (message.Usage is { } usage)
                    {
                        state.AddUsage(usage.Tokens, usage.CostUsd);
                    }

                    break;
                case ToolCallEvent proposed:
                    state.OnToolCallProposed(ToolCallFingerprint.Compute(proposed.Call, out var arguments));
                    calls[proposed.Call.Id] = (proposed.Call, arguments);
                    break;
                case DecisionEvent { Decision.Kind: DecisionKind.Allow } allowed when calls.TryGetValue(allowed.CallId, out var proposal):
                    state.OnCallAllowed(proposal.Call.ToolName, allowed.Timestamp);
                    break;
                case ToolResultEvent result when calls.TryGetValue(result.Result.CallId, out var proposal):
                    var call = proposal.Call;
                    state.OnToolResult(agent.Tools.TryGet(call.ToolName, out var tool) ? tool : null, call, proposal.Arguments, result.Result, result.Sequence);
                    break;
            }
        }

        return state;
    }
}
