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
    /// <param name="executor">Calls the tool; in audit mode pass <see cref="RecordedToolExecutor.Instance"/>.</param>
    /// <param name="workspaceId">The workspace this pipeline serves; runs of other workspaces are refused.</param>
    /// <param name="telemetry">What the telemetry stage's spans carry. The default is <see cref="TelemetryOptions.Default"/> (no content).</param>
    /// <returns>This builder.</returns>
    public ToolCallPipelineBuilder AddStandardStages(IToolExecutor executor, string workspaceId, TelemetryOptions? telemetry = null) =>
        Add(new TelemetryStage(telemetry))
            .Add(new RecordStage())
            .Add(new ScopeStage(workspaceId))
            .Add(new SchemaStage())
            .Add(new PolicyStage())
            .Add(new BudgetStage())
            .Add(new LoopGuardStage())
            .Add(new ApprovalGateStage())
            .Add(new PlanGateStage())
            .Add(new ResultCheckStage())
            .Add(new ExecuteStage(executor));

    /// <summary>Builds the pipeline.</summary>
    /// <returns>The pipeline.</returns>
    /// <exception cref="InvalidOperationException">No stage was added.</exception>
    public ToolCallPipeline Build() => _stages.Count == 0
        ? throw new InvalidOperationException("add at least one stage (AddStandardStages adds Keel's chain)")
        : new ToolCallPipeline([.. _stages]);
}
