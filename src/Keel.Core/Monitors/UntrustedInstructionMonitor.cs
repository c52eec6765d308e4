using Keel.Model;
using Keel.Provenance;
using Keel.Tools;

namespace Keel.Monitors;

/// <summary>Untrusted output may not add new goals: flags a tool result whose text — untrusted (tools marked <c>x-untrusted-output</c>) or
/// not — contains instructions addressed to the agent (<see cref="InstructionDetector"/>), with finding type <c>untrusted_instruction</c>
/// (severity high), once per result.</summary>
public sealed class UntrustedInstructionMonitor : IRunMonitor
{
    /// <inheritdoc />
    public string Name => "untrusted_instruction";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new Session(this, agent.Tools);
    }

    private sealed class Session(UntrustedInstructionMonitor owner, ToolCatalog tools) : IMonitorSession
    {
        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            if (runEvent is not ToolResultEvent result || result.Result.Status == ToolResultStatus.NotExecuted)
            {
                return;
            }

            // Trusted output is checked too: instructions addressed to the agent make any text untrusted (see ProvenanceIndex).
            var trust = tools.TryGet(result.ToolName, out var tool) ? tool.OutputTrust : OutputTrust.Untrusted;
            var (trusted, untrusted) = OutputSplitter.Split(result.Result.Output, trust);
            if ((InstructionDetector.Find(untrusted) ?? InstructionDetector.Find(trusted)) is { } marker)
            {
                findings.Add(new Finding("untrusted_instruction", FindingSeverity.High,
                    $"{result.ToolName} output contains instructions addressed to the agent (\"{Trim(marker)}\"); untrusted output may not add goals",
                    [runEvent.Sequence], owner.Name));
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }

        private static string Trim(string text) => text.Length <= 80 ? text : text[..80] + "…";
    }
}
