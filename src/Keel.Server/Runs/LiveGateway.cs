using System.Collections.Concurrent;
using Keel.Approvals;
using Keel.Budgets;
using Keel.Composition;
using Keel.Diagnostics;
using Keel.Execution;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Plans;
using Keel.Server.Approvals;
using Keel.Server.Hosting;
using Keel.Server.Idempotency;
using Keel.Server.Interventions;
using Keel.Storage;
using Keel.Versions;
using Microsoft.Extensions.Logging;
using Keel.Sdk.Api;

namespace Keel.Server.Runs;

/// <summary>Drives live runs through the same pipeline replay uses, in enforce mode: opens runs, appends messages, decides and
/// executes tool calls, asks for approvals for held calls (for plan-then-apply, bound to the previewed diff), and commits each
/// request's changes — events, new approval, idempotency answer — in one transaction (<see cref="ILiveRunStore"/>) before it
/// is answered.</summary>
/// <remarks>Thread-safe. Calls of one run are decided one at a time (the run's lock); runs proceed in parallel. The live runs
/// held in memory are a cache of the store: a failed request throws its run away, closed runs leave at once and idle ones after
/// <see cref="KeelServerOptions.IdleRunTimeout"/>, and a run whose stored head moved (another instance committed) is rebuilt
/// before it is used.</remarks>
internal sealed partial class LiveGateway(
    KeelServerOptions options, KeelComponents components, ILiveRunStore liveStore, IRunStore runs, IApprovalStore approvals, IBudgetLedger budgets,
    ApprovalNotifier notifier, UnrecordedOutcomes unrecorded, RunSignals signals, VersionResolver versions, ILogger<LiveGateway> logger)
{
    private readonly ConcurrentDictionary<(string Workspace, string Run), Lazy<Task<LiveRun?>>> _live = new();
    private readonly ConcurrentDictionary<string, ToolCallPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly IToolExecutor _executor = options.Executor ?? NoUpstreamExecutor.Instance;
    private readonly TimeProvider _time = options.TimeProvider;
    private long _lastSweepTicks;

    // One set of per-tool resilience pipelines for the whole server, so a tool's circuit breaker sees every workspace's calls.
    private readonly ToolResiliencePipelines _resilience = new(options.Execution, options.TimeProvider);

    /// <summary>Creates a run served by <paramref name="agent"/> and recording <paramref name="assignment"/>
    /// (<see cref="VersionResolver.ResolveAsync"/>); <see langword="null"/> when any workspace already holds the id.</summary>
    public async Task<LiveRun?> OpenAsync(string workspaceId, string id, AgentVersion agent, VersionAssignment assignment, CreateRunRequest request, CancellationToken cancellationToken)
    {
        var run = new Run(id, workspaceId, agent.AgentName, agent.Version, _time.GetUtcNow(), request.Channel ?? Run.DefaultChannel)
        {
            WorkflowClass = request.WorkflowClass ?? agent.Domain,
            Version = assignment,
        };
        if (!await liveStore.TryCreateRunAsync(run, cancellationToken))
        {
            return null;
        }

        var live = Attach(run, new RunState(run), agent, storedSequence: 0);
        _live[(workspaceId, id)] = new Lazy<Task<LiveRun?>>(Task.FromResult<LiveRun?>(live));
        return live;
    }

    /// <summary>Takes the run's lock and returns it current: rebuilt from the store when this process has not seen it or another
    /// instance committed since, and with any outcome still waiting to be stored written first.</summary>
    /// <returns>The run, locked (release with <see cref="Release"/>); <see langword="null"/> when the workspace has no such run.</returns>
    /// <exception cref="StoreException">The store could not be read, or an outcome waiting to be stored still cannot be.</exception>
    public async Task<LiveRun?> AcquireAsync(string workspaceId, string runId, CancellationToken cancellationToken)
    {
        Sweep();
        for (var attempt = 0; ; attempt++)
        {
            var lazy = _live.GetOrAdd((workspaceId, runId), key => new Lazy<Task<LiveRun?>>(() => LoadAsync(key.Workspace, key.Run)));
            LiveRun? live;
            try
            {
                live = await lazy.Value.WaitAsync(cancellationToken);
            }
            catch (StoreException)
            {
                _live.TryRemove(new KeyValuePair<(string, string), Lazy<Task<LiveRun?>>>((workspaceId, runId), lazy));
                throw;
            }

            if (live is null)
            {
                _live.TryRemove(new KeyValuePair<(string, string), Lazy<Task<LiveRun?>>>((workspaceId, runId), lazy));
                return null;
            }

            await WaitForLockAsync(live, cancellationToken);
            if (live.Evicted)
            {
                live.Lock.Release();
                continue;
            }

            try
            {
                live.LastUsed = _time.GetUtcNow();
                if (live.Pending is { } pending)
                {
                    await FlushAsync(live, pending, cancellationToken);
                }
                else if (attempt == 0 && await liveStore.GetHeadSequenceAsync(workspaceId, runId, cancellationToken) != live.StoredSequence)
                {
                    // Another instance committed to this run: the cached state is stale, rebuild it from the store.
                    Evict(live);
                    live.Lock.Release();
                    continue;
                }
            }
            catch
            {
                live.Lock.Release();
                throw;
            }

            return live;
        }
    }

    /// <summary>Takes the run's lock, waiting at most <see cref="KeelServerOptions.LongestToolCall"/> (on the server's clock) so that a
    /// request's time stays bounded, as <see cref="KeelServerOptions.IdempotencyStaleAfter"/> assumes.</summary>
    /// <exception cref="RunBusyException">The wait ran out.</exception>
    private async Task WaitForLockAsync(LiveRun live, CancellationToken cancellationToken)
    {
        if (live.Lock.Wait(0, CancellationToken.None))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(options.LongestToolCall, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await live.Lock.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RunBusyException(options.LongestToolCall);
        }
    }

    /// <summary>Releases the run's lock; a closed run leaves memory.</summary>
    public void Release(LiveRun live)
    {
        if (!live.IsOpen && live.Pending is null)
        {
            Evict(live);
        }

        live.Lock.Release();
    }

    /// <summary>Throws the cached run away (a failed request, a closed run); the next request rebuilds it from the store.</summary>
    public void Evict(LiveRun live)
    {
        live.Evicted = true;
        live.AfterCommit.Clear();
        var key = (live.Run.WorkspaceId, live.Run.Id);
        if (_live.TryGetValue(key, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && ReferenceEquals(lazy.Value.Result, live))
        {
            _live.TryRemove(KeyValuePair.Create(key, lazy));
        }

        if (live.Span is not null)
        {
            KeelDiagnostics.StopInvokeAgent(live.Span, live.State, live.Agent, PipelineMode.Enforce);
            live.Span = null;
        }
    }

    public MessageEvent AppendMessage(LiveRun live, MessageRole role, string content) => live.State.AppendMessage(role, content, _time.GetUtcNow());

    /// <summary>Appends a message with its metadata (channel, author, the held reply it delivers), stamped with the server's clock.</summary>
    public MessageEvent AppendMessage(LiveRun live, MessageEvent message) => live.State.AppendMessage(message with { Timestamp = _time.GetUtcNow() });

    /// <summary>Appends an intervention event stamped with the server's clock; the monitors see it.</summary>
    public InterventionEvent AppendIntervention(LiveRun live, InterventionEvent intervention)
    {
        var stored = live.Run.Append(intervention with { Timestamp = _time.GetUtcNow() });
        live.State.Observe(stored);
        return stored;
    }

    /// <summary>Writes a console line once the request's commit is stored (never for a request whose changes were thrown away).</summary>
    public void LogAfterCommit(LiveRun live, Action<ILogger> line) => live.AfterCommit.Add(() => line(logger));

    public ValueTask<BudgetReservation> ReserveAsync(LiveRun live, BudgetUse use, CancellationToken cancellationToken) =>
        budgets.TryReserveAsync(live.Run.WorkspaceId, use, _time.GetUtcNow(), cancellationToken);

    /// <summary>Decides (and, when allowed, executes) a call; a held call gets its approval — the pending one of the same call,
    /// or a new one that <see cref="CommitAsync"/> stores. Nothing is stored here.</summary>
    public async Task<ProposedCall> ProposeAsync(LiveRun live, ToolCall call, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        live.AddCall(call.Id);
        var context = new ToolCallContext(call, live.State, live.Agent, now, PipelineMode.Enforce);
        var outcome = await Pipeline(live).ExecuteAsync(context, cancellationToken);
        Approval? approval = null;
        var created = false;
        var held = HeldCallApproval.IsHeld(outcome, context);
        if (held)
        {
            var stages = options.ApprovalStagesByTool.TryGetValue(call.ToolName, out var byTool) ? byTool : options.ApprovalStages;
            (approval, created) = await HeldCallApproval.FindOrCreateAsync(approvals, live.Run, context, outcome.Decision, stages, options.ApprovalTimeout, now, cancellationToken);
            if (live.Run.Status == RunStatus.Active)
            {
                // A paused or taken-over run stays so: the operator's hold outranks the approval's.
                live.Run.Status = RunStatus.AwaitingApproval;
                PauseForApproval(live, approval);
            }

            var (run, id, rule) = (live.Run, approval.Id, outcome.Decision.RuleId);
            LogAfterCommit(live, l => l.CallHeld(run.WorkspaceId, run.Id, call.Id, call.ToolName, id, rule));
            if (!created)
            {
                // A re-proposed call that is still held was counted as pending when it was first held.
                KeelDiagnostics.ApprovalResolved(call.ToolName);
            }
        }
        else if (live.Run.Status == RunStatus.AwaitingApproval && outcome.Decision.Kind == DecisionKind.Allow)
        {
            live.Run.Status = RunStatus.Active;
        }
        else if (outcome.Decision.Kind == DecisionKind.Escalate)
        {
            var (run, rule) = (live.Run, outcome.Decision.RuleId);
            LogAfterCommit(live, l => l.CallEscalated(run.WorkspaceId, run.Id, call.Id, call.ToolName, rule));
        }

        return new ProposedCall(outcome, context, approval, created, Executed: outcome.Result.Status != ToolResultStatus.NotExecuted);
    }

    public void Close(LiveRun live, RunStatus status)
    {
        live.Monitors.Complete(_time.GetUtcNow());
        live.Run.Status = status;
    }

    /// <summary>Commits what the request changed — the run's new events and status, the new approval, the idempotency answer — in
    /// one transaction.</summary>
    /// <param name="live">The run (locked).</param>
    /// <param name="newApproval">The approval to store, or <see langword="null"/>.</param>
    /// <param name="executed">Whether a tool already ran for this request.</param>
    /// <param name="answer">The answer the request will get, stored with the idempotency key it holds (if any).</param>
    /// <param name="scope">The request's idempotency key, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the commit (not once a tool ran: its outcome must be stored).</param>
    /// <returns>Whether it is stored; when not, whether the tool had run.</returns>
    public async Task<CommitResult> CommitAsync(LiveRun live, Approval? newApproval, bool executed, StoredResponse answer, IdempotencyScope? scope, CancellationToken cancellationToken)
    {
        var commit = new RunCommit(live.Run, live.StoredSequence)
        {
            NewApproval = newApproval,
            Idempotency = scope is null ? null : new IdempotencyCompletion(scope.WorkspaceId, scope.KeyId, scope.Key, answer),
        };
        RunCommitStatus status;
        try
        {
            status = await liveStore.CommitAsync(commit, executed ? CancellationToken.None : cancellationToken);
        }
        catch (StoreException) when (executed)
        {
            unrecorded.Add(live, commit);
            Bind(scope);
            return CommitResult.ExecutedNotRecorded;
        }

        if (status == RunCommitStatus.Conflict)
        {
            // Another instance committed to this run while this request ran: its events cannot be chained onto that head.
            Evict(live);
            return executed ? CommitResult.ExecutedNotRecorded : CommitResult.Conflict;
        }

        live.MarkStored();
        Bind(scope);
        if (newApproval is not null)
        {
            notifier.Notify(newApproval);
            WatchExpiry(newApproval);
        }

        Committed(live, commit.ExpectedSequence);
        return CommitResult.Committed;
    }

    /// <summary>Tries to store every kept outcome again (the background retry of <see cref="UnrecordedOutcomesFlusher"/>).</summary>
    public async Task FlushUnrecordedAsync(CancellationToken cancellationToken)
    {
        foreach (var live in unrecorded.Runs.ToList())
        {
            if (!await live.Lock.WaitAsync(0, cancellationToken))
            {
                continue;
            }

            try
            {
                if (live.Pending is { } pending)
                {
                    await FlushAsync(live, pending, cancellationToken);
                }
            }
            catch (StoreException)
            {
                // Still refused; the next round tries again.
            }
            finally
            {
                live.Lock.Release();
            }
        }
    }

    private async Task FlushAsync(LiveRun live, RunCommit pending, CancellationToken cancellationToken)
    {
        var stored = await liveStore.CommitAsync(pending, cancellationToken) == RunCommitStatus.Committed;
        unrecorded.Forget(live, stored);
        if (!stored)
        {
            // Another instance committed to the run meanwhile: these events cannot be chained onto its head (docs/storage.md).
            Evict(live);
            return;
        }

        live.MarkStored();
        if (pending.NewApproval is { } approval)
        {
            notifier.Notify(approval);
            WatchExpiry(approval);
        }

        Committed(live, pending.ExpectedSequence);
    }

    /// <summary>After a commit: the console lines of what it stored (the request's own and those of the monitors' handoffs and pauses
    /// among the events after <paramref name="from"/>), and a wake-up for the run's stream and long-poll readers.</summary>
    private void Committed(LiveRun live, long from)
    {
        foreach (var line in live.AfterCommit)
        {
            line();
        }

        LogMonitorEvents(live.Run, from);

        live.AfterCommit.Clear();
        signals.Notify(live.Run.WorkspaceId, live.Run.Id);
    }

    private static void Bind(IdempotencyScope? scope)
    {
        if (scope is not null)
        {
            scope.Completed = true;
        }
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var entry in _live)
        {
            if (entry.Value.IsValueCreated && entry.Value.Value.IsCompletedSuccessfully && entry.Value.Value.Result is { } live
                && live.Pending is null && now - live.LastUsed > options.IdleRunTimeout && live.Lock.Wait(0))
            {
                try
                {
                    Evict(live);
                }
                finally
                {
                    live.Lock.Release();
                }
            }
        }
    }

    // The composition's pipeline, as replay builds it, with the live services: the upstream executor behind its resilience
    // pipelines, durable approvals and plan approvals, workspace budgets.
    private ToolCallPipeline Pipeline(LiveRun live) => _pipelines.GetOrAdd(live.Run.WorkspaceId, workspace =>
        components.BuildPipeline(new ExecuteStage(_executor, _resilience), workspace, new EnforcementServices
        {
            TryConsumeApproval = ApprovalClearance.TryConsume(approvals, _time),
            TryConsumePlanApproval = PlanClearance.TryConsume(new ToolPlanPreviewer(_executor), approvals, _time),
            WorkspaceBudgets = budgets,
            TimeProvider = _time,
        }));

    private async Task<LiveRun?> LoadAsync(string workspaceId, string runId)
    {
        var run = await runs.GetRunAsync(workspaceId, runId);
        if (run is null || await versions.ForRunAsync(run, CancellationToken.None) is not { } agent)
        {
            return null;
        }

        await WatchApprovalPauseAsync(run);
        var live = Attach(run, RunStateRestorer.Restore(run, agent), agent, LiveRun.LastSequence(run));
        live.LastUsed = _time.GetUtcNow();
        return live;
    }

    private LiveRun Attach(Run run, RunState state, AgentVersion agent, long storedSequence)
    {
        var monitors = new RunMonitors(run, agent, components.Monitors);
        state.Observer = monitors;
        return new LiveRun(run, state, agent, monitors, storedSequence) { Span = KeelDiagnostics.StartInvokeAgent(run, agent, PipelineMode.Enforce) };
    }

    /// <summary>The executor when no upstream is registered: decisions only.</summary>
    private sealed class NoUpstreamExecutor : IToolExecutor
    {
        public static NoUpstreamExecutor Instance { get; } = new();

        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.NotExecuted(context.Call.Id, $"no upstream tool server is registered for '{context.Call.ToolName}'"));
    }
}

/// <summary>A decided call before it is committed.</summary>
/// <param name="Outcome">The pipeline's outcome.</param>
/// <param name="Context">The call's context (plan, arguments).</param>
/// <param name="Approval">The approval that holds it, when held: existing (<paramref name="ApprovalIsNew"/> false) or to store.</param>
/// <param name="ApprovalIsNew">Whether <paramref name="Approval"/> is new and must be committed.</param>
/// <param name="Executed">Whether the tool ran.</param>
internal sealed record ProposedCall(ToolCallOutcome Outcome, ToolCallContext Context, Approval? Approval, bool ApprovalIsNew, bool Executed);

/// <summary>What <see cref="LiveGateway.CommitAsync"/> achieved.</summary>
internal enum CommitResult
{
    /// <summary>Stored and durable.</summary>
    Committed,

    /// <summary>Nothing stored: another instance committed to the run first; nothing had run, so a retry is safe.</summary>
    Conflict,

    /// <summary>The tool ran but its record is not stored yet: kept and retried; the idempotency key stays bound to the outcome.</summary>
    ExecutedNotRecorded,
}

/// <summary>A run's lock could not be had within <see cref="KeelServerOptions.LongestToolCall"/>: its other calls are still being decided.</summary>
/// <param name="waited">How long the request waited.</param>
internal sealed class RunBusyException(TimeSpan waited) : Exception($"the run stayed busy for {waited}")
{
    /// <summary>How long the request waited.</summary>
    public TimeSpan Waited { get; } = waited;
}
