using System.Collections.Concurrent;
using System.Security.Cryptography;
using Keel.Approvals;
using Keel.Budgets;
using Keel.Diagnostics;
using Keel.Execution;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Plans;
using Keel.Server.Approvals;
using Keel.Storage;

namespace Keel.Server.Runs;

/// <summary>Drives live runs through the same pipeline replay uses, in enforce mode: opens runs, appends messages, decides and
/// executes tool calls, requests approvals for held calls (for plan-then-apply, bound to the previewed diff), and stores every
/// change before it is answered.</summary>
/// <remarks>Thread-safe. Calls of one run are decided one at a time (the run's lock); runs proceed in parallel.</remarks>
internal sealed class LiveGateway(KeelServerOptions options, IRunStore runs, IApprovalStore approvals, IBudgetLedger budgets, ApprovalNotifier notifier)
{
    private readonly ConcurrentDictionary<(string Workspace, string Run), Lazy<Task<LiveRun?>>> _live = new();
    private readonly ConcurrentDictionary<string, ToolCallPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly IToolExecutor _executor = options.Executor ?? NoUpstreamExecutor.Instance;
    private readonly TimeProvider _time = options.TimeProvider;

    // One set of per-tool resilience pipelines for the whole server, so a tool's circuit breaker sees every workspace's calls.
    private readonly ToolResiliencePipelines _resilience = new(options.Execution, options.TimeProvider);

    public AgentVersion? Agent(string? name) => options.Agents.FirstOrDefault(a => a.AgentName == name);

    public async Task<LiveRun> OpenAsync(string workspaceId, AgentVersion agent, CreateRunRequest request, CancellationToken cancellationToken)
    {
        var id = string.IsNullOrWhiteSpace(request.Id) ? "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : request.Id;
        var run = new Run(id, workspaceId, agent.AgentName, agent.Version, _time.GetUtcNow(), request.Channel ?? "api")
        {
            WorkflowClass = request.WorkflowClass ?? agent.Domain,
        };
        var live = Attach(run, new RunState(run), agent);
        await runs.AppendAsync(run, cancellationToken);
        _live[(workspaceId, id)] = new Lazy<Task<LiveRun?>>(Task.FromResult<LiveRun?>(live));
        return live;
    }

    /// <summary>The live run, loaded from the store (state rebuilt from its events) when this process has not seen it.</summary>
    public async Task<LiveRun?> GetAsync(string workspaceId, string runId, CancellationToken cancellationToken)
    {
        var lazy = _live.GetOrAdd((workspaceId, runId), key => new Lazy<Task<LiveRun?>>(() => LoadAsync(key.Workspace, key.Run)));
        var live = await lazy.Value.WaitAsync(cancellationToken);
        if (live is null)
        {
            _live.TryRemove(new KeyValuePair<(string, string), Lazy<Task<LiveRun?>>>((workspaceId, runId), lazy));
        }

        return live;
    }

    public async Task<MessageEvent> AppendMessageAsync(LiveRun live, MessageRole role, string content, CancellationToken cancellationToken)
    {
        var stored = live.State.AppendMessage(role, content, _time.GetUtcNow());
        await runs.AppendAsync(live.Run, cancellationToken);
        return stored;
    }

    public ValueTask<BudgetReservation> ReserveAsync(LiveRun live, BudgetUse use, CancellationToken cancellationToken) =>
        budgets.TryReserveAsync(live.Run.WorkspaceId, use, _time.GetUtcNow(), cancellationToken);

    public async Task<(ToolCallOutcome Outcome, Approval? Approval, ToolCallContext Context)> ProposeAsync(LiveRun live, ToolCall call, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var context = new ToolCallContext(call, live.State, live.Agent, now, PipelineMode.Enforce);
        var outcome = await Pipeline(live).ExecuteAsync(context, cancellationToken);
        Approval? approval = null;
        var created = false;
        var held = outcome.Decision.Kind == DecisionKind.RequireApproval
            || (outcome.Decision.Kind == DecisionKind.RequirePlan && context.Plan is not null);
        if (held)
        {
            (var stored, created) = await approvals.RequestAsync(NewApproval(live, context, outcome.Decision, now), cancellationToken);
            approval = stored;
            live.Run.Status = RunStatus.AwaitingApproval;
            if (created)
            {
                notifier.Notify(stored);
            }
        }
        else if (live.Run.Status == RunStatus.AwaitingApproval && outcome.Decision.Kind == DecisionKind.Allow)
        {
            live.Run.Status = RunStatus.Active;
        }

        if (held && approval is not null && !created)
        {
            // A re-proposed call that is still held was counted as pending when it was first held.
            KeelDiagnostics.ApprovalResolved(call.ToolName);
        }

        await runs.AppendAsync(live.Run, cancellationToken);
        return (outcome, approval, context);
    }

    public async Task CloseAsync(LiveRun live, RunStatus status, CancellationToken cancellationToken)
    {
        live.Monitors.Complete(_time.GetUtcNow());
        live.Run.Status = status;
        await runs.AppendAsync(live.Run, cancellationToken);
        KeelDiagnostics.StopInvokeAgent(live.Span, live.State, live.Agent, PipelineMode.Enforce);
        live.Span = null;
    }

    private Approval NewApproval(LiveRun live, ToolCallContext context, Decision decision, DateTimeOffset now) => new()
    {
        Id = "apr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        WorkspaceId = live.Run.WorkspaceId,
        RunId = live.Run.Id,
        CallId = context.Call.Id,
        ToolName = context.Call.ToolName,
        ArgumentsJson = context.Arguments.ValueKind == System.Text.Json.JsonValueKind.Object ? CanonicalJson.Write(context.Arguments) : context.Call.ArgumentsJson,
        Digest = context.ApprovalDigest ?? ApprovalDigest.For(context),
        PlanDigest = context.Plan?.Digest,
        PlanJson = context.Plan?.Patch.GetRawText(),
        Reason = decision.Reason,
        RuleId = decision.RuleId,
        StagesRequired = options.ApprovalStagesByTool.TryGetValue(context.Call.ToolName, out var stages) ? stages : options.ApprovalStages,
        RequestedAt = now,
        ExpiresAt = now + options.ApprovalTimeout,
    };

    private ToolCallPipeline Pipeline(LiveRun live) => _pipelines.GetOrAdd(live.Run.WorkspaceId, workspace =>
        new ToolCallPipelineBuilder().AddStandardStages(new ExecuteStage(_executor, _resilience), workspace, new EnforcementServices
        {
            TryConsumeApproval = ApprovalClearance.TryConsume(approvals, _time),
            TryConsumePlanApproval = PlanClearance.TryConsume(new ToolPlanPreviewer(_executor), approvals, _time),
            WorkspaceBudgets = budgets,
            TimeProvider = _time,
        }).Build());

    private async Task<LiveRun?> LoadAsync(string workspaceId, string runId)
    {
        var run = await runs.GetRunAsync(workspaceId, runId);
        if (run is null || Agent(run.AgentName) is not { } agent)
        {
            return null;
        }

        return Attach(run, RunStateRestorer.Restore(run, agent), agent);
    }

    private static LiveRun Attach(Run run, RunState state, AgentVersion agent)
    {
        var monitors = new RunMonitors(run, agent, RunMonitors.Standard);
        state.Observer = monitors;
        return new LiveRun(run, state, agent, monitors) { Span = KeelDiagnostics.StartInvokeAgent(run, agent, PipelineMode.Enforce) };
    }

    /// <summary>The executor when no upstream is registered: decisions only.</summary>
    private sealed class NoUpstreamExecutor : IToolExecutor
    {
        public static NoUpstreamExecutor Instance { get; } = new();

        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.NotExecuted(context.Call.Id, $"no upstream tool server is registered for '{context.Call.ToolName}'"));
    }
}
