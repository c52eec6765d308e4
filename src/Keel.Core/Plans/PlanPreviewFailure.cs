namespace Keel.Plans;

/// <summary>Why no plan could be made for a call (an expected failure, returned as a value).</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Tool">The tool whose call was to be planned.</param>
/// <param name="PreviewTool">The preview tool that was (or would have been) called; <see langword="null"/> when the tool declares none.</param>
/// <param name="Message">A sentence for a person that names what was wrong and the fix, e.g.
/// <c>the preview tool 'preview_cancel_reservation' answered an error: Error: reservation not found</c>.</param>
/// <param name="Output">The preview tool's answer when it ran (its error text, or the output that was not <c>{"before", "after"}</c>);
/// <see langword="null"/> otherwise.</param>
public sealed record PlanPreviewFailure(PlanPreviewFailureKind Kind, string Tool, string? PreviewTool, string Message, string? Output = null);

/// <summary>The kinds of <see cref="PlanPreviewFailure"/>.</summary>
public enum PlanPreviewFailureKind
{
    /// <summary>The tool declares no preview (no <c>x-preview</c> in <c>tools.json</c>), or is not in the agent's catalog.</summary>
    NoPreview,

    /// <summary>The preview tool did not run (e.g. audit mode has no recorded result for it, or the executor refused it).</summary>
    NotExecuted,

    /// <summary>The preview tool answered an error — for a dry run, usually the error the write itself would answer.</summary>
    ToolError,

    /// <summary>The preview tool answered, but not a JSON object with <c>before</c> and <c>after</c>.</summary>
    MalformedOutput,
}
