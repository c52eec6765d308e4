using System.Diagnostics.CodeAnalysis;

namespace Keel.Plans;

/// <summary>What <see cref="IPlanPreviewer.PreviewAsync"/> answers: a <see cref="PlanPreview"/> or a <see cref="PlanPreviewFailure"/>, never both.</summary>
public sealed class PlanPreviewResult
{
    private PlanPreviewResult(PlanPreview? preview, PlanPreviewFailure? failure)
    {
        Preview = preview;
        Failure = failure;
    }

    /// <summary>Gets the plan; <see langword="null"/> when the preview failed.</summary>
    public PlanPreview? Preview { get; }

    /// <summary>Gets why no plan was made; <see langword="null"/> when it succeeded.</summary>
    public PlanPreviewFailure? Failure { get; }

    /// <summary>Gets whether a plan was made.</summary>
    [MemberNotNullWhen(true, nameof(Preview))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Preview is not null;

    /// <summary>A plan was made.</summary>
    /// <param name="preview">The plan.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="preview"/> is <see langword="null"/>.</exception>
    public static PlanPreviewResult Success(PlanPreview preview) => new(preview ?? throw new ArgumentNullException(nameof(preview)), null);

    /// <summary>No plan could be made.</summary>
    /// <param name="failure">Why.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="failure"/> is <see langword="null"/>.</exception>
    public static PlanPreviewResult Failed(PlanPreviewFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"plan {Preview.Digest} ({Preview.Summary.Count} changes)" : $"no plan: {Failure.Message}";
}
