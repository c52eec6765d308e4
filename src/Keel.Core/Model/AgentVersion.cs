using Keel.Execution;
using Keel.Policies;
using Keel.Tools;

namespace Keel.Model;

/// <summary>An immutable agent configuration: model, prompt and its hash, tool catalog, policies, budgets, loop guard and handoff settings.</summary>
public sealed record AgentVersion
{
    /// <summary>Agent name, e.g. <c>tau-airline</c>.</summary>
    public required string AgentName { get; init; }

    /// <summary>Version, e.g. <c>1.0.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The model the agent runs on, e.g. <c>gpt-4o</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The domain (workflow class) of the runs this version governs, e.g. <c>banking</c>; <see langword="null"/> for any. A replay
    /// given several agent versions sends each run to the version whose domain is the run's (<c>domain</c> in <c>agent.yaml</c>).</summary>
    public string? Domain { get; init; }

    /// <summary>Path of the prompt file, relative to the bundle.</summary>
    public required string PromptFile { get; init; }

    /// <summary>Lower-case hex SHA-256 of the prompt file's bytes (verified on load).</summary>
    public required string PromptSha256 { get; init; }

    /// <summary>Lifecycle state.</summary>
    public AgentVersionState State { get; init; } = AgentVersionState.Validated;

    /// <summary>The tools the agent may call.</summary>
    public required ToolCatalog Tools { get; init; }

    /// <summary>The compiled policy set.</summary>
    public required PolicySet Policies { get; init; }

    /// <summary>Per-run budgets.</summary>
    public BudgetLimits Budgets { get; init; } = BudgetLimits.Unlimited;

    /// <summary>Loop guard settings.</summary>
    public LoopGuardOptions LoopGuard { get; init; } = LoopGuardOptions.Default;

    /// <summary>Handoff settings.</summary>
    public HandoffOptions Handoff { get; init; } = HandoffOptions.Default;

    /// <summary>Escalation rules and topic taxonomy (<c>escalation.yaml</c>, docs/escalation.md), read by the escalation and
    /// conversation-tag monitors.</summary>
    /// <value>The default is <see cref="Keel.Escalation.EscalationPolicy.Empty"/>: no rules, no topics.</value>
    public Keel.Escalation.EscalationPolicy Escalation { get; init; } = Keel.Escalation.EscalationPolicy.Empty;

    /// <summary>Timeouts, retries and circuit breakers of this agent's tool calls in enforce mode (the <c>execution:</c> section of
    /// <c>agent.yaml</c>); <see langword="null"/> to use the gateway's <see cref="ExecutionOptions"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ExecutionOptions? Execution { get; init; }

    /// <summary>Every file the bundle loader read, relative to the bundle folder with <c>/</c> separators, sorted ordinally:
    /// <c>agent.yaml</c>, the prompt, the tool catalog (unless <c>tools: per_run</c>), the policies, the document named by the policies'
    /// <c>source:</c>, the escalation file and its source document when present. A path starting with <c>../</c> lies outside the
    /// folder. <see cref="Versions.BundleContent"/> hashes exactly these files.</summary>
    /// <value>The default is empty (a version not loaded from a folder).</value>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The content hash of <see cref="Files"/> as the loader read them (<see cref="Versions.BundleContent.Hash"/>), the hash
    /// a run served by this bundle records; <see langword="null"/> when the bundle reads a file outside its folder or was not loaded
    /// from a folder.</summary>
    public string? ContentHash { get; init; }
}
