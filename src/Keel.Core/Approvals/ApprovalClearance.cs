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
        return (context, cancellationToken) => ConsumeAsync(store, context, planDigest: null, timeProvider, cancellationToken);
    }

    /// <summary>Sets the call's digest on <paramref name="context"/> and uses a granted approval of its run bound to it (and to
    /// <paramref name="planDigest"/>); the one consume path of the approval and plan gates.</summary>
    internal static async ValueTask<bool> ConsumeAsync(IApprovalStore store, ToolCallContext context, string? planDigest, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var digest = context.ApprovalDigest ??= ApprovalDigest.For(context);
        var run = context.State.Run;
        return await store.TryConsumeAsync(run.WorkspaceId, run.Id, digest, planDigest, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false) is not null;
    }
}
