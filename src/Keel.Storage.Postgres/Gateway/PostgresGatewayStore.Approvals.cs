using Keel.Approvals;

namespace Keel.Storage.Postgres.Gateway;

public sealed partial class PostgresGatewayStore
{
    /// <inheritdoc />
    /// <remarks>Requests for one call (workspace, run, digest, plan digest) are serialized by a transaction-scoped advisory lock
    /// (<see cref="LockKeys.Approval"/>), so of two instances proposing the same held call at once, the second finds the first's pending approval.</remarks>
    public Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await Sql.LockAsync(connection, transaction, [LockKeys.Approval(approval.WorkspaceId, approval.RunId, approval.Digest, approval.PlanDigest)]);
            if (await FindPendingAsync(connection, transaction, approval.WorkspaceId, approval.RunId, approval.Digest, approval.PlanDigest, approval.RequestedAt) is { } existing)
            {
                return (existing, false);
            }

            await ApprovalRows.InsertAsync(connection, transaction, approval);
            return (approval, true);
        }, $"the approval for run '{approval.RunId}' of workspace '{approval.WorkspaceId}' was not stored", cancellationToken);
    }

    /// <inheritdoc />
    public Task<Approval?> FindPendingAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            (connection, transaction) => FindPendingAsync(connection, transaction, workspaceId, runId, digest, planDigest, now),
            $"the approvals of run '{runId}' of workspace '{workspaceId}' could not be read",
            cancellationToken);

    /// <inheritdoc />
    public Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"SELECT {ApprovalRows.Columns} FROM approvals WHERE workspace_id = @ws AND id = @id",
                ("ws", workspaceId), ("id", approvalId));
            return (await ApprovalRows.ReadAllAsync(command)).FirstOrDefault();
        }, $"approval '{approvalId}' of workspace '{workspaceId}' could not be read", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"""
                SELECT {ApprovalRows.Columns} FROM approvals WHERE workspace_id = @ws AND (@status::text IS NULL OR status = @status::text)
                ORDER BY requested_at DESC, id LIMIT @limit
                """, ("ws", workspaceId), ("status", status is { } s ? ApprovalRows.Status(s) : null), ("limit", Math.Clamp(limit, 1, 1000)));
            return (IReadOnlyList<Approval>)await ApprovalRows.ReadAllAsync(command);
        }, $"the approvals of workspace '{workspaceId}' could not be listed", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListPendingForRunAsync(string workspaceId, string runId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"""
                SELECT {ApprovalRows.Columns} FROM approvals WHERE workspace_id = @ws AND run_id = @run AND status = 'pending'
                """, ("ws", workspaceId), ("run", runId));
            return Approval.Waiting(await ApprovalRows.ReadAllAsync(command), now);
        }, $"the approvals of run '{runId}' of workspace '{workspaceId}' could not be read", cancellationToken);

    /// <inheritdoc />
    /// <remarks>The approval's row is locked (<c>FOR UPDATE</c>) while <see cref="ApprovalDecision.Apply"/> decides, so two people deciding
    /// at once on two instances are applied one after the other.</remarks>
    public Task<(Approval? Approval, string? Error)> DecideAsync(
        string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            Approval? approval;
            await using (var command = Sql.Command(connection, transaction, $"SELECT {ApprovalRows.Columns} FROM approvals WHERE workspace_id = @ws AND id = @id FOR UPDATE",
                             ("ws", workspaceId), ("id", approvalId)))
            {
                approval = (await ApprovalRows.ReadAllAsync(command)).FirstOrDefault();
            }

            if (approval is null)
            {
                return ((Approval?)null, (string?)null);
            }

            var (updated, error) = ApprovalDecision.Apply(approval, by, approve, note, now);
            if (updated is null)
            {
                return (approval, error);
            }

            await ApprovalRows.UpdateAsync(connection, transaction, updated);
            return (updated, null);
        }, $"the decision on approval '{approvalId}' of workspace '{workspaceId}' was not stored", cancellationToken);

    /// <inheritdoc />
    /// <remarks>One statement: the oldest granted, unexpired approval of the call that no other transaction holds is chosen with
    /// <c>FOR UPDATE SKIP LOCKED</c> and set to <c>used</c> only if it is still granted, so of any number of concurrent consumers on any
    /// instance exactly one gets each approval.</remarks>
    public Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Sql.Command(connection, transaction, $"""
                UPDATE approvals SET status = 'used'
                WHERE workspace_id = @ws AND status = 'granted' AND id = (
                    SELECT id FROM approvals
                    WHERE workspace_id = @ws AND run_id = @run AND digest = @d AND plan_digest IS NOT DISTINCT FROM @pd::text
                      AND status = 'granted' AND expires_at > @now
                    ORDER BY requested_at, id LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING {ApprovalRows.Columns}
                """, ("ws", workspaceId), ("run", runId), ("d", digest), ("pd", planDigest), ("now", PostgresTime.ToUtcText(now)));
            return (await ApprovalRows.ReadAllAsync(command)).FirstOrDefault();
        }, $"an approval of run '{runId}' of workspace '{workspaceId}' could not be consumed", cancellationToken);

    /// <summary>The newest approval of the call that is still pending at <paramref name="now"/> (stored as pending and not expired).</summary>
    private static async Task<Approval?> FindPendingAsync(
        Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now)
    {
        await using var find = Sql.Command(connection, transaction, $"""
            SELECT {ApprovalRows.Columns} FROM approvals WHERE workspace_id = @ws AND run_id = @run AND digest = @d
            AND plan_digest IS NOT DISTINCT FROM @pd::text AND status = 'pending' ORDER BY requested_at DESC, id
            """, ("ws", workspaceId), ("run", runId), ("d", digest), ("pd", planDigest));
        return (await ApprovalRows.ReadAllAsync(find)).FirstOrDefault(a => a.StatusAt(now) == ApprovalStatus.Pending);
    }
}
