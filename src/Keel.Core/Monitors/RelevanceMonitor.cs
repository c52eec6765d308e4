using Keel.Model;
using Keel.Tools;

namespace Keel.Monitors;

/// <summary>
/// No function fits: a call of an offered function that <see cref="RelevanceDetector"/> finds unrelated to everything the
/// user asked, with no argument value taken from the conversation (user or assistant messages) or an earlier tool result (finding
/// <see cref="CallFindingTypes.NoFunctionFits"/>, severity medium: a signal, decided on words alone). Calls of functions that
/// were not offered are <c>wrong_function</c> findings of <see cref="MalformedCallMonitor"/> instead.
/// </summary>
public sealed class RelevanceMonitor : IRunMonitor
{
    /// <inheritdoc />
    public string Name => "relevance";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new Session(this, agent.Tools);
    }

    private sealed class Session(RelevanceMonitor owner, ToolCatalog catalog) : IMonitorSession
    {
        private readonly RelevanceContext _context = new();

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            switch (runEvent)
            {
                case MessageEvent { Role: MessageRole.User } message:
                    _context.AddRequest(message.Content);
                    break;
                case MessageEvent { Role: MessageRole.Assistant } message:
                    // What the agent already told the user (a total it worked out) is part of the run, not an invented value.
                    _context.AddEvidence(message.Content);
                    break;
                case ToolResultEvent { Result.Status: not ToolResultStatus.NotExecuted, Result.Output.Length: > 0 } result:
                    // What a tool really answered; a call that did not run carries Keel's own reason, which is no evidence.
                    _context.AddEvidence(result.Result.Output);
                    break;
                case ToolCallEvent proposed when catalog.TryGet(proposed.Call.ToolName, out var tool):
                    var assessment = RelevanceDetector.Assess(_context, tool, proposed.Call.ArgumentsJson);
                    if (!assessment.Fits)
                    {
                        var values = assessment.Values == 0 ? "the call has no argument values" : $"none of its {assessment.Values} argument values appears in the run";
                        findings.Add(new Finding(CallFindingTypes.NoFunctionFits, FindingSeverity.Medium,
                            $"no offered function fits the request: {tool.Name} shares no content word with it (name, description, parameters) and {values}",
                            [proposed.Sequence], owner.Name));
                    }

                    break;
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }
    }
}
