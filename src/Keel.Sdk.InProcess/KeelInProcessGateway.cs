using System.Collections.Concurrent;
using Keel.Approvals;
using Keel.Audit;
using Keel.Bundles;
using Keel.Budgets;
using Keel.Gateway;
using Keel.Model;
using Keel.Plans;
using Keel.Sdk.Api;
using Keel.Sdk.Governance;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Sdk.InProcess;

/// <summary>Keel inside the agent's process: the same composition <c>keel serve</c> uses — <c>services.AddKeel()</c> with the store
/// the host chose, Core's standard <see cref="ToolCallPipeline"/> in enforce mode with durable approvals and workspace budgets, the
/// standard monitors, one commit per request (<see cref="ILiveRunStore"/>) — behind <see cref="IKeelGateway"/>, so
/// <c>UseKeel(gateway)</c> and the Agent Framework middleware behave as against a remote server (docs/sdk.md, "In-process mode").</summary>
/// <remarks>
/// <para>No tool runs inside the gateway: an allowed call is answered <c>not_executed</c> and the host's own function runs, its result
/// recorded with <see cref="ReportToolResultAsync"/>. A held call's approval is decided with <see cref="ApproveAsync"/> /
/// <see cref="DenyAsync"/> (or by a <c>keel serve</c> over the same store, e.g. in its console).</para>
/// <para>Thread-safe. Requests of one run are decided one at a time; runs proceed in parallel. Refusals are
/// <see cref="KeelApiException"/>s with the problem <c>keel serve</c> would answer; a store failure is a 503
/// <c>store-unavailable</c> problem, after which nothing of the request is kept.</para>
/// </remarks>
public sealed partial class KeelInProcessGateway : IKeelGateway, IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly KeelInProcessOptions _options;
    private readonly ILiveRunStore _live;
    private readonly Redaction.Redactor _redactor;
    private readonly IRunStore _runs;
    private readonly IApprovalStore _approvals;
    private readonly IBudgetLedger _budgets;
    private readonly TimeProvider _time;
    private readonly ToolCallPipeline _pipeline;
    private readonly ConcurrentDictionary<string, Lazy<Task<InProcessRun?>>> _cache = new(StringComparer.Ordinal);

    private KeelInProcessGateway(KeelInProcessOptions options, AgentVersion agent, ServiceProvider services)
    {
        _options = options;
        _services = services;
        Agent = agent;
        Components = services.GetRequiredService<Composition.KeelComponents>();
        _time = options.TimeProvider;
        _live = services.GetRequiredService<ILiveRunStore>();
        _redactor = services.GetRequiredService<Redaction.Redactor>();
        _runs = services.GetRequiredService<IRunStore>();
        _approvals = services.GetRequiredService<IApprovalStore>();
        _budgets = services.GetRequiredService<IBudgetLedger>();
        // The composition's pipeline, as keel serve builds it, with the host's functions as the executor (nothing runs here).
        _pipeline = Components.BuildPipeline(new ExecuteStage(HostRunsTools.Instance, timeProvider: _time), options.WorkspaceId, new EnforcementServices
        {
            TryConsumeApproval = ApprovalClearance.TryConsume(_approvals, _time),
            TryConsumePlanApproval = PlanClearance.TryConsume(new ToolPlanPreviewer(HostRunsTools.Instance), _approvals, _time),
            WorkspaceBudgets = _budgets,
            TimeProvider = _time,
        });
    }

    /// <summary>The composition the gateway runs with: Keel's monitors and importers and whatever <see cref="KeelInProcessOptions.Store"/>
    /// added to the builder (C# policies, monitors, stages: docs/extending.md).</summary>
    public Composition.KeelComponents Components { get; }

    /// <summary>The agent version every run is governed by.</summary>
    public AgentVersion Agent { get; }

    /// <summary>The workspace of the runs, approvals and budget.</summary>
    public string WorkspaceId => _options.WorkspaceId;

    /// <summary>Loads the agent bundle, opens the store (creating the workspace when missing, setting
    /// <see cref="KeelInProcessOptions.Budget"/> when given) and returns the gateway.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>The gateway; dispose it to close the store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    /// <exception cref="BundleLoadException">The agent bundle is invalid; the message names the file, line and fix.</exception>
    /// <exception cref="StoreException">The store could not be opened or written.</exception>
    public static async Task<KeelInProcessGateway> StartAsync(KeelInProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = new ServiceCollection();
        services.AddSingleton(options.TimeProvider);
        options.Store!(services.AddKeel());
        var provider = services.BuildServiceProvider();
        try
        {
            // Loaded with the composition's C# policies, so kind: custom rules resolve against what the builder added.
            var agent = options.Agent ?? provider.GetRequiredService<Composition.KeelComponents>().LoadBundle(options.AgentBundle!);
            var workspaces = provider.GetRequiredService<IWorkspaceStore>();
            if (!await workspaces.WorkspaceExistsAsync(options.WorkspaceId, cancellationToken).ConfigureAwait(false))
            {
                // The workspace's first admin key is created with it and not shown: keys are made with `keel key create`.
                await workspaces.CreateWorkspaceAsync(new Workspace(options.WorkspaceId, options.WorkspaceId), cancellationToken).ConfigureAwait(false);
            }

            if (options.Budget is { } budget)
            {
                await workspaces.SetWorkspaceBudgetAsync(options.WorkspaceId, budget, cancellationToken).ConfigureAwait(false);
            }

            return new KeelInProcessGateway(options, agent, provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<ApiRun> OpenRunAsync(CreateRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Channel is { } channel && !LiveRequestRules.IsRunChannel(channel))
        {
            throw Problems.Invalid("$.channel", $"channel '{channel}' is not one of {LiveRequestRules.RunChannels}");
        }

        if (request.Id is { } requested && !LiveRequestRules.IsValidRunId(requested))
        {
            throw Problems.Invalid("$.id", LiveRequestRules.RunIdRule);
        }

        var id = LiveRequestRules.NewRunId(request.Id);
        var run = new Run(id, WorkspaceId, Agent.AgentName, Agent.Version, _time.GetUtcNow(), request.Channel ?? Run.DefaultChannel)
        {
            WorkflowClass = request.WorkflowClass ?? Agent.Domain,
        };
        if (!await Store(() => _live.TryCreateRunAsync(run, cancellationToken)).ConfigureAwait(false))
        {
            throw Problems.Of(409, "run-exists", "Run exists", $"run '{id}' already exists");
        }

        var live = new InProcessRun(run, new RunState(run), Agent, Components.Monitors, storedSequence: 0);
        _cache[id] = new Lazy<Task<InProcessRun?>>(Task.FromResult<InProcessRun?>(live));
        return ApiContracts.ToApi(run);
    }

    /// <inheritdoc />
    public async Task<ApiRun> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var run = await Store(() => _runs.GetRunAsync(WorkspaceId, runId, cancellationToken)).ConfigureAwait(false);
        // A run of another agent is not this gateway's, as for the server's agent keys.
        return run is null || run.AgentName != Agent.AgentName ? throw Problems.NoRun(runId) : ApiContracts.ToApi(run);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _services.DisposeAsync().ConfigureAwait(false);

    /// <summary>Runs <paramref name="work"/> on the run under its lock, current with the store (rebuilt when not cached or when another
    /// process committed to it), and commits what it changed in one transaction; a request that fails throws the cached run away.</summary>
    /// <exception cref="KeelApiException">No such run (404), the run is closed or handed off (409), the store failed (503) or another
    /// process committed first (409 <c>run-conflict</c>).</exception>
    private async Task<T> WithOpenRunAsync<T>(string runId, Func<InProcessRun, Task<(T Answer, Approval? NewApproval, bool Commit)>> work, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var live = await AcquireAsync(runId, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!live.IsOpen)
            {
                throw live.Run is { Status: RunStatus.HandedOff, Handoff: { } packet }
                    ? Problems.Of(409, "run-handed-off", "Run handed off", $"run '{runId}' was handed to {packet.TargetTeam} ({packet.Priority}): {packet.Reason}; the agent must not continue it")
                    : Problems.Of(409, "run-closed", "Run closed", $"run '{runId}' is {RunEventJson.EnumName(live.Run.Status)}; open a new run");
            }

            // Every store read of the request (budget, pending approvals, approval use in the pipeline) answers 503 like the commit.
            var (answer, approval, commit) = await Store(() => work(live)).ConfigureAwait(false);
            if (commit)
            {
                var status = await Store(() => _live.CommitAsync(new RunCommit(live.Run, live.StoredSequence) { NewApproval = approval }, cancellationToken)).ConfigureAwait(false);
                if (status == RunCommitStatus.Conflict)
                {
                    throw Problems.Of(409, "run-conflict", "Run changed", $"another process committed to run '{runId}' first; nothing was changed by this request. Retry it.");
                }

                live.MarkStored();
            }

            return answer;
        }
        catch
        {
            Evict(live);
            throw;
        }
        finally
        {
            live.Lock.Release();
        }
    }

    private async Task<InProcessRun> AcquireAsync(string runId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lazy = _cache.GetOrAdd(runId, id => new Lazy<Task<InProcessRun?>>(() => LoadAsync(id)));
            InProcessRun? live;
            try
            {
                live = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _cache.TryRemove(KeyValuePair.Create(runId, lazy));
                throw;
            }

            if (live is null)
            {
                _cache.TryRemove(KeyValuePair.Create(runId, lazy));
                throw Problems.NoRun(runId);
            }

            await live.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            bool current;
            try
            {
                current = !live.Evicted && (attempt > 0
                    || await Store(() => _live.GetHeadSequenceAsync(WorkspaceId, runId, cancellationToken)).ConfigureAwait(false) == live.StoredSequence);
            }
            catch
            {
                live.Lock.Release();
                throw;
            }

            if (current)
            {
                return live;
            }

            // Evicted meanwhile, or another process committed to the run: rebuild it from the store.
            Evict(live);
            live.Lock.Release();
        }
    }

    private async Task<InProcessRun?> LoadAsync(string runId)
    {
        var run = await Store(() => _runs.GetRunAsync(WorkspaceId, runId)).ConfigureAwait(false);
        return run is null || run.AgentName != Agent.AgentName
            ? null
            : new InProcessRun(run, RunStateRestorer.Restore(run, Agent), Agent, Components.Monitors, InProcessRun.LastSequence(run));
    }

    private void Evict(InProcessRun live)
    {
        live.Evicted = true;
        if (_cache.TryGetValue(live.Run.Id, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && ReferenceEquals(lazy.Value.Result, live))
        {
            _cache.TryRemove(KeyValuePair.Create(live.Run.Id, lazy));
        }
    }

    /// <summary>A store call whose failure is answered as <c>keel serve</c> answers it: 503 <c>store-unavailable</c>.</summary>
    private static async Task<T> Store<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw Problems.Of(503, "store-unavailable", "Store unavailable", $"the store could not be read or written; nothing was changed: {ex.Message}");
        }
    }

    /// <summary>The executor of a gateway that runs no tool: every allowed call is the host's to run.</summary>
    private sealed class HostRunsTools : IToolExecutor
    {
        public static HostRunsTools Instance { get; } = new();

        public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ToolResult.NotExecuted(context.Call.Id, $"the host runs '{context.Call.ToolName}' itself (in-process gateway)"));
    }
}
