using Keel.Bundles;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Importers;
using Keel.Model;
using Keel.Monitors;
using Keel.Policies;

namespace Keel.Composition;

/// <summary>What a Keel composition is made of beyond its stores: the run importers, the run monitors, the C# policies that
/// <c>kind: custom</c> rules name, the extra pipeline stages and the clock. <c>services.AddKeel()</c> registers it with Keel's
/// standard importers and monitors, and every <c>KeelBuilder.Add…</c> call (or a <see cref="IKeelPlugin"/>) adds to it, so the same
/// set serves <c>keel serve</c> (live, enforce mode) and <c>keel replay</c> (recorded runs, audit mode).</summary>
/// <remarks>Immutable and thread-safe. Audit mode differs from enforce mode only by the services a pipeline is built with — the
/// recorded executor and no durable approvals or workspace budgets (<see cref="BuildPipeline"/>) — never by checks inside stages.</remarks>
public sealed class KeelComponents
{
    private readonly IToolCallStage[] _stages;

    /// <summary>Creates the set; the container calls this with every registration.</summary>
    /// <param name="importers">The run importers, tried in this order (format names distinct).</param>
    /// <param name="monitors">The run monitors (shared and thread-safe), in the order they see events.</param>
    /// <param name="policies">The C# policies, by <see cref="IToolPolicy.Name"/> (distinct).</param>
    /// <param name="stages">Extra stages, run after Keel's policy stage and before its budget stage, in this order.</param>
    /// <param name="timeProvider">The clock of budgets, approvals and retries.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No importer, two importers with one format name, or two policies with one name.</exception>
    public KeelComponents(
        IEnumerable<IRunImporter> importers, IEnumerable<IRunMonitor> monitors, IEnumerable<IToolPolicy> policies, IEnumerable<IToolCallStage> stages,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(stages);
        Importers = new RunImporters(importers);
        Monitors = [.. monitors];
        var byName = new Dictionary<string, IToolPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!byName.TryAdd(policy.Name, policy))
            {
                throw new ArgumentException($"Two C# policies are named '{policy.Name}'; policy names must be distinct.", nameof(policies));
            }
        }

        Policies = byName;
        _stages = [.. stages];
        TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>Keel's standard set without a container: the built-in importers (<see cref="RunImporters.Default"/>), the standard
    /// monitors (<see cref="RunMonitors.Standard"/>), no C# policy, no extra stage, the system clock. What <c>services.AddKeel()</c>
    /// registers when nothing is added.</summary>
    public static KeelComponents Standard { get; } = new(RunImporters.Default.Importers, RunMonitors.Standard, [], [], TimeProvider.System);

    /// <summary>The run importers.</summary>
    public RunImporters Importers { get; }

    /// <summary>The run monitors, in the order they see events.</summary>
    public IReadOnlyList<IRunMonitor> Monitors { get; }

    /// <summary>The C# policies by name (ordinal).</summary>
    public IReadOnlyDictionary<string, IToolPolicy> Policies { get; }

    /// <summary>The extra pipeline stages, in order.</summary>
    public IReadOnlyList<IToolCallStage> Stages => _stages;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Loads an agent bundle with this set's C# policies (<see cref="AgentBundleLoader.Load"/>).</summary>
    /// <param name="folder">The bundle folder, or the path of its <c>agent.yaml</c>.</param>
    /// <returns>The validated agent version.</returns>
    /// <exception cref="BundleLoadException">The bundle is missing or wrong (the message names file, line and fix), including a
    /// <c>kind: custom</c> rule whose <c>type</c> names no registered policy.</exception>
    public AgentVersion LoadBundle(string folder) => AgentBundleLoader.Load(folder, PolicyOptions());

    /// <summary>Policy-load options carrying this set's C# policies, for loaders that take them (<see cref="Versions.BundleContent.Load"/>).</summary>
    /// <returns>New options; the caller may set the rest.</returns>
    public PolicyLoadOptions PolicyOptions()
    {
        var options = new PolicyLoadOptions();
        foreach (var (name, policy) in Policies)
        {
            options.CustomPolicies[name] = policy;
        }

        return options;
    }

    /// <summary>Builds the one tool-call pipeline of live traffic and replay: Keel's standard chain
    /// (<see cref="ToolCallPipelineBuilder.AddStandardStages(ExecuteStage, string, EnforcementServices, TelemetryOptions, IReadOnlyList{IToolCallStage})"/>)
    /// with this set's extra stages after the policy stage.</summary>
    /// <param name="execute">The innermost stage: <see cref="ExecuteStage.Recorded"/> for replay, an <see cref="ExecuteStage"/> over
    /// the upstream executor and its resilience pipelines for live traffic.</param>
    /// <param name="workspaceId">The workspace the pipeline serves.</param>
    /// <param name="services">Durable approvals and workspace budgets (live); <see langword="null"/> for none (replay).</param>
    /// <param name="telemetry">What spans carry; <see langword="null"/> for <see cref="TelemetryOptions.Default"/>.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="execute"/> is <see langword="null"/>.</exception>
    public ToolCallPipeline BuildPipeline(ExecuteStage execute, string workspaceId, EnforcementServices? services = null, TelemetryOptions? telemetry = null) =>
        new ToolCallPipelineBuilder().AddStandardStages(execute, workspaceId, services, telemetry, _stages).Build();
}
