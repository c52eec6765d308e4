using System.Text.Json;
using Keel.Model;

namespace Keel.Monitors;

/// <summary>Agent transfer to a human: a call of one of the agent version's handoff tools (<see cref="HandoffOptions.Tools"/>).</summary>
public sealed class HumanTransferMonitor : IRunMonitor
{
    /// <inheritdoc />
    public string Name => "human_transfer";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new Session(this, agent.Handoff.Tools);
    }

    /// <summary>Reads the summary the agent gave with a transfer call (its <c>summary</c> or <c>reason</c> argument), if any.</summary>
    /// <param name="call">The transfer call.</param>
    /// <returns>The summary text, or <see langword="null"/>.</returns>
    public static string? Summary(ToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!call.TryParseArguments(out var args, out _))
        {
            return null;
        }

        foreach (var name in (string[])["summary", "reason"])
        {
            if (args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }

    private sealed class Session(HumanTransferMonitor owner, IReadOnlyList<string> tools) : IMonitorSession
    {
        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            if (runEvent is ToolCallEvent call && tools.Contains(call.Call.ToolName))
            {
                var summary = Summary(call.Call);
                findings.Add(new Finding("human_transfer", FindingSeverity.Info,
                    summary is null ? $"the agent transferred the customer to a human ({call.Call.ToolName})" : $"the agent transferred the customer to a human: {summary}",
                    [runEvent.Sequence], owner.Name));
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }
    }
}
