using Keel.Gateway;
using Keel.Model;

namespace Keel.Server;

/// <summary>Settings of the gateway server (<c>keel serve</c>).</summary>
public sealed class KeelServerOptions
{
    /// <summary>Chooses the storage backend for runs, approvals, keys, budgets, idempotency records and the access log, e.g.
    /// <c>k =&gt; k.UseSqlite("keel.db")</c> or <c>k =&gt; k.UsePostgres("Host=…")</c>. Required.</summary>
    public Action<Composition.KeelBuilder>? Storage { get; set; }

    /// <summary>The agent versions the server governs, one per agent name; an agent key names one of them.</summary>
    public IList<AgentVersion> Agents { get; } = [];

    /// <summary>Calls the upstream tools; <see langword="null"/> when no upstream is registered (decisions only: an allowed
    /// call is answered <c>not_executed</c>).</summary>
    public IToolExecutor? Executor { get; set; }

    /// <summary>Timeouts, retries and circuit breakers of tool calls (docs/execution.md), for agents whose bundle has no <c>execution:</c> section.</summary>
    /// <value>The default is <see cref="Execution.ExecutionOptions.Default"/>.</value>
    public Execution.ExecutionOptions Execution { get; set; } = Keel.Execution.ExecutionOptions.Default;

    /// <summary>Reports whether the upstream tool servers are connected, for <c>/ready</c>; <see langword="null"/> for none to wait for.</summary>
    public Func<CancellationToken, Task<bool>>? UpstreamReady { get; set; }

    /// <summary>How long a requested approval stays open; past it the approval expires and its call stays held (fail-closed).</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a live run may go unaddressed before it leaves memory (it is rebuilt from the store when addressed again).</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan IdleRunTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many different people must approve a held call.</summary>
    /// <value>The default is 1.</value>
    public int ApprovalStages { get; set; } = 1;

    /// <summary>Per-tool overrides of <see cref="ApprovalStages"/>, e.g. <c>{"issue_refund": 2}</c>.</summary>
    public IDictionary<string, int> ApprovalStagesByTool { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>A URL that receives a Slack-compatible JSON message (<c>{"text": …}</c>) for each new approval; <see langword="null"/> for none.</summary>
    public Uri? ApprovalWebhook { get; set; }

    /// <summary>The workspace created with an admin key on first start when the database has none.</summary>
    /// <value>The default is <c>default</c>.</value>
    public string BootstrapWorkspace { get; set; } = Workspace.Default.Id;

    /// <summary>The clock for run events, approval expiry and budget windows.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public void Validate()
    {
        Execution.Validate();
        if (Storage is null)
        {
            throw new ArgumentException($"{nameof(Storage)} is not set; choose a store, e.g. options.Storage = k => k.UseSqlite(\"keel.db\").");
        }

        if (ApprovalTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ApprovalTimeout)} is {ApprovalTimeout}; set a positive duration such as 01:00:00.");
        }

        if (IdleRunTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(IdleRunTimeout)} is {IdleRunTimeout}; set a positive duration such as 00:10:00.");
        }

        if (ApprovalStages < 1 || ApprovalStagesByTool.Values.Any(v => v < 1))
        {
            throw new ArgumentException($"{nameof(ApprovalStages)} must be 1 or more (also per tool in {nameof(ApprovalStagesByTool)}).");
        }

        var duplicate = Agents.GroupBy(a => a.AgentName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two agent versions are named '{duplicate.Key}'; the server governs one version per agent name.");
        }

        if (ApprovalWebhook is { } hook && hook.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{nameof(ApprovalWebhook)} '{hook}' is not an http(s) URL.");
        }
    }
}
