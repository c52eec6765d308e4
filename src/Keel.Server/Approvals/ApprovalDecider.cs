using Keel.Approvals;
using Keel.Diagnostics;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Interventions;
using Keel.Server.Runs;
using Keel.Storage;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Approvals;

/// <summary>The one way an operator's approve or deny is applied, for <c>POST /v1/approvals/{id}/approve|deny</c> and the console's
/// approvals inbox alike: the store applies <see cref="ApprovalDecision"/> (stages, expiry, who may decide), the server writes its
/// console line and counts the resolved approval, and a run paused while the approval waited
/// (<see cref="Model.HandoffOptions.PauseOnApproval"/>) is released (<see cref="LiveGateway.EndApprovalPauseAsync"/>).</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ApprovalDecider(IApprovalStore store, LiveGateway gateway, RunSignals signals, TimeProvider time, ILogger<ApprovalDecider> logger)
{
    /// <summary>Approves or denies an approval of the caller's workspace.</summary>
    /// <param name="caller">The operator deciding (their key's name is recorded).</param>
    /// <param name="approvalId">The approval.</param>
    /// <param name="approve">Approve (true) or deny.</param>
    /// <param name="note">Why, at most 2,000 characters (checked by the callers); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The approval after the decision and <see langword="null"/>; the approval and why it could not be decided (not pending,
    /// expired, the same person twice); or (<see langword="null"/>, <see langword="null"/>) when the workspace has no such approval.</returns>
    /// <exception cref="StoreException">The store could not be read or written.</exception>
    public async Task<(Approval? Approval, string? Error)> DecideAsync(Caller caller, string approvalId, bool approve, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        var (approval, error) = await store.DecideAsync(caller.WorkspaceId, approvalId, caller.Key.Name, approve, note, now, cancellationToken);
        if (approval is null || error is not null)
        {
            return (approval, error);
        }

        signals.Notify(approval.WorkspaceId, approval.RunId);
        logger.ApprovalDecided(approval.Id, approval.WorkspaceId, approval.RunId, approve ? "approve" : "deny", caller.Key.Name, RunEventJson.EnumName(approval.StatusAt(now)));
        if (approval.Status is ApprovalStatus.Granted or ApprovalStatus.Denied)
        {
            KeelDiagnostics.ApprovalResolved(approval.ToolName);
            try
            {
                // The decision is stored: ending the pause must not depend on the caller staying connected.
                await gateway.EndApprovalPauseAsync(approval.WorkspaceId, approval.RunId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is RunBusyException or StoreException)
            {
                // The decision stands and is answered as such; the run's next reply, the expiry sweep or an operator ends the pause.
                logger.ApprovalPauseNotEnded(approval.Id, approval.RunId, ex.Message);
            }
        }

        return (approval, null);
    }
}
