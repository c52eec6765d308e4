using Keel.Gateway;

namespace Keel.Approvals;

/// <summary>Connects the approval gate to an <see cref="IApprovalStore"/>: a call that needs approval runs only by using up a
/// granted, unexpired approval of the same run whose digest is the call's.</summary>
public static class ApprovalClearance
{
    /// <summary>Creates the gate's clearing function. It sets <see cref="ToolCallContext.ApprovalDigest"/> (so the caller can
    /// request an approval for a held call) and consumes a matching approval.</summary>
    /// <param name="store">The approvals.</param>
    /// <param name="timeProvider">The clock that decides expiry (the server's, not the run's).</param>
    /// <returns>The function for <see cref="ApprovalGateStage(Func{ToolCallContext, CancellationToken, ValueTask{bool}})"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static Func<ToolCallContext, CancellationToken, ValueTask<bool>> TryConsume(IApprovalStore store, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return async (context, cancellationToken) =>
        {
            var digest = context.ApprovalDigest ??= ApprovalDigest.For(context);
            var run = context.State.Run;
            var used = await store.TryConsumeAsync(run.WorkspaceId, run.Id, digest, planDigest: null, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return used is not null;
        };
    }
}
