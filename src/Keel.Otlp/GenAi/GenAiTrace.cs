using Keel.Replay;

namespace Keel.Otlp.GenAi;

/// <summary>A trace's GenAI spans as a recorded run, ready for <see cref="ReplayEngine"/> in audit mode.</summary>
/// <param name="Run">The run: id <c>otlp-{trace id}</c>, messages and tool calls in time order, usage per model call.</param>
/// <param name="AgentName">From the outermost <c>invoke_agent</c> span's <c>gen_ai.agent.name</c>, else its span name after
/// <c>invoke_agent </c>, else the resource's <c>service.name</c>, else <see cref="GenAiTraceBuilder.UnknownAgent"/>.</param>
/// <param name="AgentVersion">The <c>gen_ai.agent.version</c>, when sent.</param>
/// <param name="ToolNames">Every tool the trace called, sorted, for the catalog of an agent that has no bundle.</param>
public sealed record GenAiTrace(RecordedRun Run, string AgentName, string? AgentVersion, IReadOnlyList<string> ToolNames);
