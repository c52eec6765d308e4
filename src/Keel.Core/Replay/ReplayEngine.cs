using Keel.Composition;
using Keel.Diagnostics;
using Keel.Failures;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;

namespace Keel.Replay;

/// <summary>Replays recorded runs through the tool-call pipeline in audit mode: the same stages as live traffic, with the
/// execute stage returning the recorded result. Thread-safe: runs may be replayed in parallel.</summary>
public sealed class ReplayEngine
{
    private readonly AgentVersion _agent;
    private readonly ToolCallPipeline _pipeline;
    private readonly string _workspaceId;
    private readonly IReadOnlyList<IRunMonitor> _monitors;
    private readonly string _channel;

    /// <summary>Creates an engine for one agent version.</summary>
    /// <param name="agent">The agent version whose policies are replayed (may be a draft).</param>
    /// <param name="workspaceId">The workspace runs are recorded in. The default is <c>default</c>.</param>
    /// <param name="monitors">Monitors; <see langword="null"/> for those of <paramref name="components"/>.</param>
    /// <param name="channel">The channel the replayed runs are recorded on: <see cref="Run.ReplayChannel"/> for recordings,
    /// <see cref="Run.OtlpChannel"/> for OpenTelemetry traces. The default is <see cref="Run.ReplayChannel"/>.</param>
    /// <param name="components">The composition's monitors and extra stages (the same that serve live traffic);
    /// <see langword="null"/> for <see cref="KeelComponents.Standard"/>. The pipeline is built with <see cref="ExecuteStage.Recorded"/>
    /// and no durable approvals or workspace budgets: that, not a mode check in the stages, is audit mode.</param>
    public ReplayEngine(
        AgentVersion agent, string workspaceId = "default", IReadOnlyList<IRunMonitor>? monitors = null, string channel = Run.ReplayChannel, KeelComponents? components = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        _channel = channel;
        _agent = agent ?? throw new ArgumentNullException(nameof(agent));
        _workspaceId = workspaceId;
        components ??= KeelComponents.Standard;
        _monitors = monitors ?? components.Monitors;
        _pipeline = components.BuildPipeline(ExecuteStage.Recorded, workspaceId);
    }

    /// <summary>The pipeline every call goes through.</summary>
    public ToolCallPipeline Pipeline => _pipeline;

    /// <summary>Replays one run, with the run's own tool catalog when it has one (<see cref="RecordedRun.Tools"/>).</summary>
    /// <param name="recorded">The recorded run.</param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>Keel's record of the run with the decision on every agent tool call.</returns>
    public async ValueTask<ReplayedRun> ReplayAsync(RecordedRun recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);

        // A run that brings its own tools (a BFCL item's functions) is governed with them; everything else of the version stays.
        var agent = recorded.Tools is { } tools ? _agent with { Tools = tools } : _agent;
        var run = new Run(recorded.Id, _workspaceId, agent.AgentName, agent.Version, recorded.StartedAt, _channel) { WorkflowClass = recorded.Domain };
        var state = new RunState(run);

        // The run's invoke_agent span is current while it replays, so the execute_tool spans of its calls nest under it (null when nobody listens).
        var invocation = KeelDiagnostics.StartInvokeAgent(run, agent, PipelineMode.Audit);
        ReplayedRun replayed;
        try
        {
            replayed = await ReplayAsync(recorded, agent, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            KeelDiagnostics.StopInvokeAgent(invocation, state, agent, PipelineMode.Audit, ex);
            throw;
        }

        KeelDiagnostics.StopInvokeAgent(invocation, state, agent, PipelineMode.Audit);
        return replayed;
    }

    private async ValueTask<ReplayedRun> ReplayAsync(RecordedRun recorded, AgentVersion agent, RunState state, CancellationToken cancellationToken)
    {
        var run = state.Run;
        var monitors = new RunMonitors(run, agent, _monitors);
        state.Observer = monitors;
        var calls = new List<AuditedCall>();
        var now = recorded.StartedAt;

        // The run's clock starts at the recorded domain time and advances with the recorded timestamps, so a run recorded
        // in 2025 about a domain whose "current time" is 2024-05-15 sees 2024-05-15 plus the elapsed time.
        var firstStamp = recorded.Steps.Select(Stamp).FirstOrDefault(t => t is not null);
        var shift = firstStamp is { } first ? recorded.StartedAt - first : TimeSpan.Zero;
        foreach (var step in recorded.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step.Usage is { } usage)
            {
                state.AddUsage(usage.Tokens, usage.CostUsd);
            }

            switch (step)
            {
                case RecordedMessage message:
                    now = message.Timestamp + shift ?? now;
                    state.AppendMessage(message.Role, message.Content, now);
                    break;
                case RecordedToolCall { Requestor: "assistant" } toolCall:
                    now = toolCall.Timestamp + shift ?? now;
                    var context = new ToolCallContext(toolCall.Call, state, agent, now, PipelineMode.Audit, toolCall.Result);
                    var outcome = await _pipeline.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
                    calls.Add(new AuditedCall(toolCall.Call, context.Tool?.Type ?? (agent.Tools.TryGet(toolCall.Call.ToolName, out var t) ? t.Type : null), outcome.Decision, toolCall.Result));
                    break;
                case RecordedToolCall customerCall:
                    // Customer-side calls (e.g. on their own phone) are recorded, not governed.
                    now = customerCall.Timestamp + shift ?? now;
                    state.Observe(run.Append(new ToolCallEvent(customerCall.Call) { Timestamp = now }));
                    if (customerCall.Result is { } result)
                    {
                        state.Observe(run.Append(new ToolResultEvent(result, customerCall.Call.ToolName) { Timestamp = now }));
                    }

                    break;
            }
        }

        monitors.Complete(now);
        Conclude(run, calls);
        return new ReplayedRun(recorded, run, calls, monitors.Findings);
    }

    private static DateTimeOffset? Stamp(RecordedStep step) => step switch
    {
        RecordedMessage m => m.Timestamp,
        RecordedToolCall c => c.Timestamp,
        _ => null,
    };

    private void Conclude(Run run, List<AuditedCall> calls)
    {
        var ruled = run.Status == RunStatus.HandedOff && run.Handoff is not null;

        var transfer = calls.LastOrDefault(c => _agent.Handoff.Tools.Contains(c.Call.ToolName));
        var escalation = run.Failures.FirstOrDefault(f => f.Disposition == Disposition.Escalate);
        var stop = run.Failures.FirstOrDefault(f => f.Class is FailureClass.Budget or FailureClass.Loop);
        string? reason = escalation is not null ? $"escalated: {escalation.Message}"
            : stop is not null ? $"safe stop: {stop.Message}"
            : transfer is not null ? "the agent transferred the customer to a human"
            : null;
        if (ruled)
        {
            // An escalation rule handed the run over while it replayed (EscalationMonitor). Its packet stands unless a later policy
            // escalation or safe stop is more urgent (a lower p-number): a held write outranks a conversation rule's p3.
            var later = reason is null || transfer is not null && escalation is null && stop is null ? null
                : HandoffPacketBuilder.Build(run, reason, escalation?.HandoffTarget ?? _agent.Handoff.Team, _agent.Handoff.Tools);
            if (later is not null && string.CompareOrdinal(later.Priority, run.Handoff!.Priority) < 0)
            {
                run.Handoff = later;
                run.Append(new HandoffEvent(later) { Timestamp = run.Events[^1].Timestamp });
            }

            return;
        }

        if (reason is null)
        {
            run.Status = RunStatus.Completed;
            return;
        }

        run.Status = escalation is null && stop is not null ? RunStatus.Stopped : RunStatus.HandedOff;
        run.Handoff = HandoffPacketBuilder.Build(run, reason, escalation?.HandoffTarget ?? _agent.Handoff.Team, _agent.Handoff.Tools);
        run.Append(new HandoffEvent(run.Handoff) { Timestamp = run.Events.Count > 0 ? run.Events[^1].Timestamp : run.StartedAt });
    }
}
