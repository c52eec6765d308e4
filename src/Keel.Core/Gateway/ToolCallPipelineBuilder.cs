using Keel.Diagnostics;

namespace Keel.Gateway;

/// <summary>Composes a <see cref="ToolCallPipeline"/>. The first stage added is the outermost.</summary>
public sealed class ToolCallPipelineBuilder
{
    private readonly List<IToolCallStage> _stages = [];

    /// <summary>Adds a stage inside the ones added before it.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>This builder.</returns>
    public ToolCallPipelineBuilder Add(IToolCallStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _stages.Add(stage);
        return this;
    }

    /// <summary>Adds Keel's standard chain: telemetry → record → scope → schema → policy → budget → loop guard → approval gate → plan gate → result check → execute.
    /// Telemetry is outermost so that its <c>execute_tool</c> span covers the whole call; record comes next so that a call stopped at any stage
    /// is still recorded; result check wraps execute so it sees the tool's answer.</summary>
    /// <param name="executor">Calls the tool, behind its resilience pipelines (audit mode passes <see cref="ExecuteStage.Recorded"/> to
    /// the other overload instead).</param>
    /// <param name="workspaceId">The workspace this pipeline serves; runs of other workspaces are refused.</param>
    /// <param name="services">Durable approvals and workspace budgets for enforce mode; <see langword="null"/> for none (replay).</param>
    /// <param name="telemetry">What the telemetry stage's spans carry. The default is <see cref="TelemetryOptions.Default"/> (no content).</param>
    /// <returns>This builder.</returns>
    public ToolCallPipelineBuilder AddStandardStages(IToolExecutor executor, string workspaceId, EnforcementServices? services = null, TelemetryOptions? telemetry = null) =>
        AddStandardStages(new ExecuteStage(executor), workspaceId, services, telemetry);

    /// <summary>Adds Keel's standard chain (see <see cref="AddStandardStages(IToolExecutor, string, EnforcementServices, TelemetryOptions)"/>) ending in the given execute
    /// stage: one with its own <see cref="Execution.ExecutionOptions"/> and clock, or one built on <see cref="Execution.ToolResiliencePipelines"/>
    /// shared with another gateway.</summary>
    /// <param name="execute">The innermost stage.</param>
    /// <param name="workspaceId">The workspace this pipeline serves; runs of other workspaces are refused.</param>
    /// <param name="services">Durable approvals, previews and workspace budgets for enforce mode; <see langword="null"/> for none (replay).</param>
    /// <param name="telemetry">What the telemetry stage's spans carry. The default is <see cref="TelemetryOptions.Default"/> (no content).</param>
    /// <param name="extraStages">Stages of the composition (<see cref="Composition.KeelBuilder.AddStage{TStage}()"/>), run after the
    /// policy stage and before the budget stage, in order; <see langword="null"/> for none.</param>
    /// <returns>This builder.</returns>
    public ToolCallPipelineBuilder AddStandardStages(
        ExecuteStage execute, string workspaceId, EnforcementServices? services = null, TelemetryOptions? telemetry = null, IReadOnlyList<IToolCallStage>? extraStages = null)
    {
        Add(new TelemetryStage(telemetry))
            .Add(new RecordStage())
            .Add(new ScopeStage(workspaceId))
            .Add(new SchemaStage())
            .Add(new PolicyStage());
        foreach (var stage in extraStages ?? [])
        {
            Add(stage);
        }

        return Add(new BudgetStage(services?.WorkspaceBudgets, services?.TimeProvider))
            .Add(new LoopGuardStage())
            .Add(services?.TryConsumeApproval is { } approvals ? new ApprovalGateStage(approvals) : new ApprovalGateStage())
            .Add(services?.TryConsumePlanApproval is { } plans ? new PlanGateStage(plans) : new PlanGateStage())
            .Add(new ResultCheckStage())
            .Add(execute ?? throw new ArgumentNullException(nameof(execute)));
    }

    /// <summary>Builds the pipeline.</summary>
    /// <returns>The pipeline.</returns>
    /// <exception cref="InvalidOperationException">No stage was added.</exception>
    public ToolCallPipeline Build() => _stages.Count == 0
        ? throw new InvalidOperationException("add at least one stage (AddStandardStages adds Keel's chain)")
        : new ToolCallPipeline([.. _stages]);
}
