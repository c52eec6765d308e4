namespace Keel.Approvals;

/// <summary>An <see cref="IApprovalStore"/> in memory, for tests and single-process embedding: lost when the process ends.</summary>
/// <remarks>Thread-safe: one lock guards every operation.</remarks>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly Lock _lock = new();
    private readonly List<Approval> _approvals = [];

    /// <inheritdoc />
    public Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        lock (_lock)
        {
            var existing = _approvals.FirstOrDefault(a => a.WorkspaceId == approval.WorkspaceId && a.RunId == approval.RunId
                && a.Digest == approval.Digest && a.PlanDigest == approval.PlanDigest && a.StatusAt(approval.RequestedAt) == ApprovalStatus.Pending);
            if (existing is not null)
            {
                return Task.FromResult((existing, false));
            }

            _approvals.Add(approval);
            return Task.FromResult((approval, true));
        }
    }

    /// <inheritdoc />
    public Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_approvals.FirstOrDefault(a => a.WorkspaceId == workspaceId && a.Id == approvalId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<Approval> list = [.. _approvals.Where(a => a.WorkspaceId == workspaceId && (status is null || a.Status == status))
                .OrderByDescending(a => a.RequestedAt).Take(Math.Clamp(limit, 1, 1000))];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<(Approval? Approval, string? Error)> DecideAsync(string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _approvals.FindIndex(a => a.WorkspaceId == workspaceId && a.Id == approvalId);
            if (index < 0)
            {
                return Task.FromResult<(Approval?, string?)>((null, null));
            }

            var (updated, error) = ApprovalDecision.Apply(_approvals[index], by, approve, note, now);
            if (updated is not null)
            {
                _approvals[index] = updated;
            }

            return Task.FromResult<(Approval?, string?)>((updated ?? _approvals[index], error));
        }
    }

    /// <inheritdoc />
    public Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _approvals.FindIndex(a => a.WorkspaceId == workspaceId && a.RunId == runId && a.Digest == digest
                && a.PlanDigest == planDigest && a.StatusAt(now) == ApprovalStatus.Granted);
            if (index < 0)
            {
                return Task.FromResult<Approval?>(null);
            }

            var used = _approvals[index] with { Status = ApprovalStatus.Used };
            _approvals[index] = used;
            return Task.FromResult<Approval?>(used);
        }
    }
}
