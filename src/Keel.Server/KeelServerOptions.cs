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

    /// <summary>Plugins that add run monitors, C# policies, pipeline stages or importers to the server's composition
    /// (<see cref="Composition.IKeelPlugin"/>): live runs are watched and decided with them. Load the <see cref="Agents"/> with the
    /// same plugins' policies (<see cref="Composition.KeelComponents.LoadBundle"/>). The default is none.</summary>
    public IList<Composition.IKeelPlugin> Plugins { get; } = [];

    /// <summary>Calls the upstream tools; <see langword="null"/> when no upstream is registered (decisions only: an allowed
    /// call is answered <c>not_executed</c>).</summary>
    public IToolExecutor? Executor { get; set; }

    /// <summary>Timeouts, retries and circuit breakers of tool calls (docs/execution.md), for agents whose bundle has no <c>execution:</c> section.</summary>
    /// <value>The default is <see cref="Execution.ExecutionOptions.Default"/>.</value>
    public Execution.ExecutionOptions Execution { get; set; } = Keel.Execution.ExecutionOptions.Default;

    /// <summary>The time a request may spend outside upstream tools: budget reservation, approval requests, the store's writes (a
    /// SQLite write waits up to its busy timeout, 5 s by default, for another process's lock) and the pipeline's own work. Part of
    /// <see cref="IdempotencyStaleAfter"/>. Between 1 s and 1 h.</summary>
    /// <value>The default is 30 s.</value>
    public TimeSpan RequestOverhead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one tool call can legitimately spend calling upstream tools: over <see cref="Execution"/> and every
    /// governed agent's own <c>execution:</c> settings, with each tool's <c>x-timeout-ms</c> applied, the largest
    /// <see cref="Keel.Execution.ExecutionOptions.MaxExecutionTime"/> (every attempt timing out, every retry waiting its full
    /// backoff ceiling) plus one <see cref="Keel.Execution.ExecutionOptions.AttemptTimeout"/> for the plan preview a
    /// <c>require_plan</c> call runs first (the preview tool is called once, without retries; Keel does not time it, so a preview
    /// that hangs holds its own request until the client gives up, while the run's other calls are answered 409 run-busy). With the defaults
    /// 30.6 s + 10 s = 40.6 s. Also the longest a call waits for its run's lock (calls of one run are decided one at a time).</summary>
    public TimeSpan LongestToolCall
    {
        get
        {
            var longest = Worst(Execution);
            foreach (var agent in Agents)
            {
                var settings = agent.Execution ?? Execution;
                longest = Max(longest, Worst(settings));
                foreach (var timeout in agent.Tools.Tools.Select(t => t.Timeout).OfType<TimeSpan>())
                {
                    longest = Max(longest, Worst(settings with { AttemptTimeout = timeout }));
                }
            }

            return longest;
        }
    }

    /// <summary>How long an unfinished idempotency claim blocks retries of its key before a retry may take it over (the process
    /// that claimed it is presumed to have crashed; docs/gateway-api.md): a request waits at most <see cref="LongestToolCall"/>
    /// for its run's lock, then spends at most <see cref="LongestToolCall"/> on upstream tools and <see cref="RequestOverhead"/>
    /// on everything else, so 2 × <see cref="LongestToolCall"/> + <see cref="RequestOverhead"/>. With the defaults
    /// 2 × 40.6 s + 30 s = 111.2 s.</summary>
    public TimeSpan IdempotencyStaleAfter => (2 * LongestToolCall) + RequestOverhead;

    /// <summary>Reports whether the upstream tool servers are connected, for <c>/ready</c>; <see langword="null"/> for none to wait for.</summary>
    public Func<CancellationToken, Task<bool>>? UpstreamReady { get; set; }

    /// <summary>How long a requested approval stays open; past it the approval expires and its call stays held (fail-closed).</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a live run may go unaddressed before it leaves memory (it is rebuilt from the store when addressed again).</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan IdleRunTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a run's stream and long-poll read the store for new deliveries (decisions, operator messages, status
    /// changes), so that what another instance committed is seen within this time; commits of this process wake them at once.</summary>
    /// <value>The default is 500 ms.</value>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an open console tab's live feed stream looks at the store when nothing woke it, so that what another
    /// instance committed (PostgreSQL) shows within this time; commits of this process wake it at once (<c>RunSignals</c>).</summary>
    /// <value>The default is 2 seconds.</value>
    public TimeSpan FeedPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a run's stream may stay silent before it writes a comment line, so proxies keep the connection open.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many different people must approve a held call.</summary>
    /// <value>The default is 1.</value>
    public int ApprovalStages { get; set; } = 1;

    /// <summary>Per-tool overrides of <see cref="ApprovalStages"/>, e.g. <c>{"issue_refund": 2}</c>.</summary>
    public IDictionary<string, int> ApprovalStagesByTool { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>A URL that receives a Slack-compatible JSON message (<c>{"text": …}</c>) for each new approval; <see langword="null"/> for none.</summary>
    public Uri? ApprovalWebhook { get; set; }

    /// <summary>The largest request body accepted on <c>/v1</c>, in bytes; a larger one is answered 413 (<c>payload-too-large</c>) and
    /// not read further. Between 1 024 bytes and 256 MiB.</summary>
    /// <value>The default is 1 MiB (1 048 576 bytes).</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The workspace created on first start, once the server listens, with a <c>platform_admin</c> key (admin of this
    /// workspace, and may create workspaces) when the database does not have it.</summary>
    /// <value>The default is <c>default</c>.</value>
    public string BootstrapWorkspace { get; set; } = Workspace.Default.Id;

    /// <summary>The clock for run events, approval expiry and budget windows.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Creates the embedding generator of the knowledge API (<c>/v1/knowledge</c>, docs/grounding.md): called once, on the
    /// first knowledge request, so a model is loaded only when the knowledge base is used. <c>keel serve</c> sets all-MiniLM-L6-v2 in
    /// process (no network) or an OpenAI-compatible endpoint.</summary>
    /// <value>The default is <see langword="null"/>: no knowledge API (its endpoints answer <c>501 knowledge-not-configured</c>).</value>
    public Func<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>? Embeddings { get; set; }

    /// <summary>The knowledge API's retrieval settings (abstention threshold, passage size, top k).</summary>
    /// <value>The defaults of <see cref="Keel.Knowledge.RetrievalOptions"/>: abstain below cosine 0.55, 500-character passages, top 3.</value>
    public Keel.Knowledge.RetrievalOptions Retrieval { get; set; } = new();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // A call's execution plus one attempt of its plan preview.
    private static TimeSpan Worst(Execution.ExecutionOptions settings) => settings.MaxExecutionTime + settings.AttemptTimeout;

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

        if (DeliveryPollInterval <= TimeSpan.Zero || StreamHeartbeat <= TimeSpan.Zero || FeedPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DeliveryPollInterval)} ({DeliveryPollInterval}), {nameof(StreamHeartbeat)} ({StreamHeartbeat}) and {nameof(FeedPollInterval)} ({FeedPollInterval}) must be positive; the defaults are 00:00:00.5, 00:00:15 and 00:00:02.");
        }

        if (IdleRunTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(IdleRunTimeout)} is {IdleRunTimeout}; set a positive duration such as 00:10:00.");
        }

        if (RequestOverhead < TimeSpan.FromSeconds(1) || RequestOverhead > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{nameof(RequestOverhead)} is {RequestOverhead}; set it between 00:00:01 and 01:00:00; the default is 00:00:30.");
        }

        if (MaxRequestBodyBytes is < 1024 or > 256L * 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(MaxRequestBodyBytes)} is {MaxRequestBodyBytes}; set it between 1024 and 268435456 bytes (256 MiB); the default is 1048576 (1 MiB).");
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
