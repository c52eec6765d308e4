namespace Keel.Plans;

/// <summary>Whether a write about to be applied would still make the change a person reviewed: a fresh preview compared with the
/// digest bound to the approval (docs/plans.md, "Binding a plan to an approval").</summary>
/// <param name="Status">Unchanged, changed or failed.</param>
/// <param name="ReviewedDigest">The digest that was reviewed (<see cref="PlanPreview.Digest"/> at approval time).</param>
/// <param name="Current">The fresh preview (its plan when it succeeded, so a changed plan can be shown for a new review).</param>
public sealed record PlanVerification(PlanVerificationStatus Status, string ReviewedDigest, PlanPreviewResult Current)
{
    /// <summary>Gets whether the write may be applied: only when the fresh plan has the reviewed digest.</summary>
    public bool MayApply => Status == PlanVerificationStatus.Unchanged;

    /// <summary>Gets a sentence for the decision record, e.g. <c>the plan changed since it was reviewed (sha256:ab… → sha256:cd…): review it again</c>.</summary>
    public string Reason => Status switch
    {
        PlanVerificationStatus.Unchanged => $"the plan is the reviewed one ({ReviewedDigest})",
        PlanVerificationStatus.Changed => $"the plan changed since it was reviewed ({ReviewedDigest} → {Current.Preview!.Digest}): review it again",
        _ => $"the plan could not be checked again: {Current.Failure!.Message}",
    };
}

/// <summary>The outcomes of <see cref="PlanVerification"/>.</summary>
public enum PlanVerificationStatus
{
    /// <summary>The fresh plan has the reviewed digest: apply.</summary>
    Unchanged,

    /// <summary>The fresh plan differs (the data or the call changed since the review): refuse, and ask for a new review.</summary>
    Changed,

    /// <summary>No fresh plan could be made: refuse (fail closed).</summary>
    Failed,
}

/// <summary>Checks made with an <see cref="IPlanPreviewer"/>.</summary>
public static class PlanPreviewerExtensions
{
    /// <summary>Previews the call again and compares the plan with the reviewed digest; call it just before applying a write whose
    /// plan was approved.</summary>
    /// <param name="previewer">The previewer.</param>
    /// <param name="context">The call about to be applied.</param>
    /// <param name="reviewedDigest">The digest bound to the approval.</param>
    /// <param name="cancellationToken">Cancels the preview.</param>
    /// <returns>The verification; <see cref="PlanVerification.MayApply"/> only when the digests are equal.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="previewer"/>, <paramref name="context"/> or <paramref name="reviewedDigest"/> is <see langword="null"/>.</exception>
    public static async ValueTask<PlanVerification> VerifyAsync(this IPlanPreviewer previewer, Gateway.ToolCallContext context, string reviewedDigest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previewer);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reviewedDigest);
        var current = await previewer.PreviewAsync(context, cancellationToken).ConfigureAwait(false);
        var status = !current.Succeeded ? PlanVerificationStatus.Failed
            : current.Preview.Matches(reviewedDigest) ? PlanVerificationStatus.Unchanged
            : PlanVerificationStatus.Changed;
        return new PlanVerification(status, reviewedDigest, current);
    }
}
