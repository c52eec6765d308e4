using Keel.Approvals;
using Keel.Gateway;

namespace Keel.Plans;

/// <summary>Connects the plan gate to previews and approvals (plan-then-apply): the call is previewed, and runs only by using
/// up a granted, unexpired approval of the same run bound to both the call's digest and the digest of the diff the preview
/// gives now. A diff that changed since it was approved matches no approval, so the call is held for a new review.</summary>
public static class PlanClearance
{
    /// <summary>Creates the gate's clearing function. It sets <see cref="ToolCallContext.Plan"/> (or <see cref="ToolCallContext.PlanFailure"/>
    /// when the preview failed) and <see cref="ToolCallContext.ApprovalDigest"/>, so the caller can request an approval that shows and binds the diff.</summary>
    /// <param name="previewer">Runs the tool's declared preview.</param>
    /// <param name="store">The approvals.</param>
    /// <param name="timeProvider">The clock that decides expiry.</param>
    /// <returns>The function for <see cref="PlanGateStage(Func{ToolCallContext, CancellationToken, ValueTask{bool}})"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Func<ToolCallContext, CancellationToken, ValueTask<bool>> TryConsume(IPlanPreviewer previewer, IApprovalStore store, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(previewer);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return async (context, cancellationToken) =>
        {
            var result = await previewer.PreviewAsync(context, cancellationToken).ConfigureAwait(false);
            if (result.Preview is not { } plan)
            {
                context.PlanFailure = result.Failure;
                return false;
            }

            context.Plan = plan;
            return await ApprovalClearance.ConsumeAsync(store, context, plan.Digest, timeProvider, cancellationToken).ConfigureAwait(false);
        };
    }
}
