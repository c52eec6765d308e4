using Keel.Audit;
using Keel.Budgets;
using Keel.Sdk.Api;

namespace Keel.Sdk.InProcess;

/// <summary>The in-process approvals API (the person's side of a held call), the run's stored events and the workspace budget's use.</summary>
public sealed partial class KeelInProcessGateway
{
    /// <summary>Approves a held call (one stage of it when <see cref="KeelInProcessOptions.ApprovalStages"/> asks for more): the call
    /// runs when the agent makes it again, once. The same as <c>POST /v1/approvals/{id}/approve</c>.</summary>
    /// <param name="approvalId">The approval (<c>apr_…</c>, the <c>ToolApprovalRequestContent.RequestId</c> the host received).</param>
    /// <param name="by">Who decides, recorded on the approval; a person decides each stage once.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The approval after the decision (<c>granted</c>, or <c>pending</c> while stages remain).</returns>
    /// <exception cref="KeelApiException">404 no such approval; 409 <c>approval-not-pending</c> (decided, expired, the same person
    /// twice); 503 the store failed.</exception>
    public Task<ApiApproval> ApproveAsync(string approvalId, string by, string? note = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, by, approve: true, note, cancellationToken);

    /// <summary>Denies a held call: it never runs. The same as <c>POST /v1/approvals/{id}/deny</c>.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="by">Who decides.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <returns>The approval after the decision (<c>denied</c>).</returns>
    /// <exception cref="KeelApiException">As <see cref="ApproveAsync"/>.</exception>
    public Task<ApiApproval> DenyAsync(string approvalId, string by, string? note = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, by, approve: false, note, cancellationToken);

    /// <summary>Reads an approval as it stands now (a lapsed one shows <c>expired</c>).</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The approval.</returns>
    /// <exception cref="KeelApiException">404 no such approval; 503 the store failed.</exception>
    public async Task<ApiApproval> GetApprovalAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(approvalId);
        var approval = await Store(() => _approvals.GetAsync(WorkspaceId, approvalId, cancellationToken)).ConfigureAwait(false);
        return approval is null ? throw NoApproval(approvalId) : ApiContracts.ToApi(approval, _time.GetUtcNow());
    }

    /// <summary>A run's stored events after <paramref name="after"/>, redacted and hash-chained as the store holds them (the same as
    /// <c>GET /v1/runs/{id}/events</c>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="after">Only events with a higher sequence; 0 for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to 10,000 events in order.</returns>
    /// <exception cref="KeelApiException">404 no such run; 503 the store failed.</exception>
    public async Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string runId, long after = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (await Store(() => _runs.GetRunAsync(WorkspaceId, runId, cancellationToken)).ConfigureAwait(false) is null)
        {
            throw Problems.NoRun(runId);
        }

        var log = (IAuditLog)_runs;
        var records = await Store(() => log.GetEventRecordsAsync(WorkspaceId, runId, after, 10_000, cancellationToken)).ConfigureAwait(false);
        return [.. records.Select(ApiContracts.ToApi)];
    }

    /// <summary>What the workspace used in its current budget window (steps, tool calls, tokens, USD).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The use; <see langword="null"/> when the workspace has no budget (<see cref="KeelInProcessOptions.Budget"/>).</returns>
    /// <exception cref="KeelApiException">503 the store failed.</exception>
    public Task<BudgetUse?> GetBudgetUseAsync(CancellationToken cancellationToken = default) =>
        Store(() => _budgets.GetWindowUseAsync(WorkspaceId, _time.GetUtcNow(), cancellationToken));

    private async Task<ApiApproval> DecideAsync(string approvalId, string by, bool approve, string? note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(approvalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = _time.GetUtcNow();
        var (approval, error) = await Store(() => _approvals.DecideAsync(WorkspaceId, approvalId, by, approve, note, now, cancellationToken)).ConfigureAwait(false);
        if (approval is null)
        {
            throw NoApproval(approvalId);
        }

        return error is not null
            ? throw Problems.Of(409, "approval-not-pending", "Approval cannot be decided", error)
            : ApiContracts.ToApi(approval, now);
    }

    private static KeelApiException NoApproval(string approvalId) => Problems.Of(404, "not-found", "Not found", $"no approval '{approvalId}' in this workspace");
}
