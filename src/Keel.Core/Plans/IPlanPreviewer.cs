using Keel.Gateway;

namespace Keel.Plans;

/// <summary>Makes the plan of a proposed write without applying it: runs the tool's dry run and diffs the states it reports.</summary>
/// <remarks>Implementations: <see cref="ToolPlanPreviewer"/> (the preview tool declared by <c>x-preview</c>). A C# dry run can
/// implement this interface and build its answer with <see cref="PlanPreview.Create"/>.</remarks>
public interface IPlanPreviewer
{
    /// <summary>Previews one call.</summary>
    /// <param name="context">The proposed call (its tool, arguments, run and agent version); it is not changed.</param>
    /// <param name="cancellationToken">Cancels the preview.</param>
    /// <returns>The plan, or a failure value naming what was wrong. Broken infrastructure (an executor that throws) still throws.</returns>
    ValueTask<PlanPreviewResult> PreviewAsync(ToolCallContext context, CancellationToken cancellationToken = default);
}
