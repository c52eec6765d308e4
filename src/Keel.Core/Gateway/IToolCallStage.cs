namespace Keel.Gateway;

/// <summary>Continues the pipeline with the next stage.</summary>
/// <param name="context">The call.</param>
/// <param name="cancellationToken">Cancels the call.</param>
/// <returns>The outcome of the rest of the pipeline.</returns>
public delegate ValueTask<ToolCallOutcome> ToolCallHandler(ToolCallContext context, CancellationToken cancellationToken);

/// <summary>One stage of the tool-call pipeline. A stage either returns an outcome itself (stopping the call) or calls <c>next</c>.</summary>
/// <remarks>Stages are shared by every run and must be thread-safe; per-run data lives in <see cref="ToolCallContext.State"/>.</remarks>
public interface IToolCallStage
{
    /// <summary>The stage name recorded on its decisions, e.g. <c>schema</c>.</summary>
    string Name { get; }

    /// <summary>Runs the stage.</summary>
    /// <param name="context">The call.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken);
}
