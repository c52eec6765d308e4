using Keel.Approvals;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Gateway;

public sealed partial class SqliteGatewayStore
{
    private const string ApprovalColumns = """
        id, workspace_id, run_id, call_id, tool_name, arguments_json, digest, plan_digest, plan_json, reason, rule_id, status,
        stages_required, stages_json, requested_at, expires_at
        """;

    /// <inheritdoc />
    public Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return InTransactionAsync(write: true, (connection, transaction) =>
        {
            if (FindPending(connection, transaction, approval.WorkspaceId, approval.RunId, approval.Digest, approval.PlanDigest, approval.RequestedAt) is { } existing)
            {
                return (existing, false);
            }

            Insert(connection, transaction, approval);
            return (approval, true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Approval?> FindPendingAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => FindPending(connection, transaction, workspaceId, runId, digest, planDigest, now), cancellationToken);

    private static Approval? FindPending(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now)
    {
        using var find = Command(connection, transaction, $"""
            SELECT {ApprovalColumns} FROM approvals WHERE workspace_id = $ws AND run_id = $run AND digest = $d
            AND plan_digest IS $pd AND status = 'pending' ORDER BY requested_at DESC
            """, ("$ws", workspaceId), ("$run", runId), ("$d", digest), ("$pd", planDigest));
        using var reader = find.ExecuteReader();
        while (reader.Read())
        {
            var existing = ReadApproval(reader);
            if (existing.StatusAt(now) == ApprovalStatus.Pending)
            {
                return existing;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) => Find(connection, transaction, workspaceId, approvalId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"""
                SELECT {ApprovalColumns} FROM approvals WHERE workspace_id = $ws AND ($status IS NULL OR status = $status)
                ORDER BY requested_at DESC, id LIMIT $limit
                """, ("$ws", workspaceId), ("$status", status?.ToString().ToLowerInvariant()), ("$limit", Math.Clamp(limit, 1, 1000)));
            using var reader = command.ExecuteReader();
            var list = new List<Approval>();
            while (reader.Read())
            {
                list.Add(ReadApproval(reader));
            }

            return (IReadOnlyList<Approval>)list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListPendingForRunAsync(string workspaceId, string runId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: false, (connection, transaction) =>
        {
            using var command = Command(connection, transaction, $"""
                SELECT {ApprovalColumns} FROM approvals WHERE workspace_id = $ws AND run_id = $run AND status = 'pending'
                """, ("$ws", workspaceId), ("$run", runId));
            using var reader = command.ExecuteReader();
            var list = new List<Approval>();
            while (reader.Read())
            {
                list.Add(ReadApproval(reader));
            }

            return Approval.Waiting(list, now);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(Approval? Approval, string? Error)> DecideAsync(string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: true, (connection, transaction) =>
        {
            if (Find(connection, transaction, workspaceId, approvalId) is not { } approval)
            {
                return ((Approval?)null, (string?)null);
            }

            var (updated, error) = ApprovalDecision.Apply(approval, by, approve, note, now);
            if (updated is null)
            {
                return (approval, error);
            }

            Update(connection, transaction, updated);
            return (updated, null);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        InTransactionAsync(write: true, (connection, transaction) =>
        {
            using var find = Command(connection, transaction, $"""
                SELECT {ApprovalColumns} FROM approvals WHERE workspace_id = $ws AND run_id = $run AND digest = $d AND plan_digest IS $pd
                AND status = 'granted' ORDER BY requested_at
                """, ("$ws", workspaceId), ("$run", runId), ("$d", digest), ("$pd", planDigest));
            Approval? usable = null;
            using (var reader = find.ExecuteReader())
            {
                while (usable is null && reader.Read())
                {
                    var candidate = ReadApproval(reader);
                    usable = candidate.StatusAt(now) == ApprovalStatus.Granted ? candidate : null;
                }
            }

            if (usable is null)
            {
                return null;
            }

            var used = usable with { Status = ApprovalStatus.Used };
            Update(connection, transaction, used);
            return used;
        }, cancellationToken);

    /// <summary>Inserts an approval inside the caller's transaction (the live path's commit uses it too).</summary>
    internal static void Insert(SqliteConnection connection, SqliteTransaction transaction, Approval approval) =>
        Execute(connection, transaction, $"""
            INSERT INTO approvals ({ApprovalColumns})
            VALUES ($id, $ws, $run, $call, $tool, $args, $d, $pd, $plan, $reason, $rule, $status, $req, $stages, $at, $exp)
            """, Parameters(approval));

    private static Approval? Find(SqliteConnection connection, SqliteTransaction transaction, string workspaceId, string approvalId)
    {
        using var command = Command(connection, transaction, $"SELECT {ApprovalColumns} FROM approvals WHERE workspace_id = $ws AND id = $id",
            ("$ws", workspaceId), ("$id", approvalId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadApproval(reader) : null;
    }

    private static void Update(SqliteConnection connection, SqliteTransaction transaction, Approval approval) =>
        Execute(connection, transaction, "UPDATE approvals SET status = $status, stages_json = $stages WHERE workspace_id = $ws AND id = $id",
            ("$status", approval.Status.ToString().ToLowerInvariant()), ("$stages", ApprovalStagesJson.Write(approval.Stages)),
            ("$ws", approval.WorkspaceId), ("$id", approval.Id));

    private static (string, object?)[] Parameters(Approval a) =>
    [
        ("$id", a.Id), ("$ws", a.WorkspaceId), ("$run", a.RunId), ("$call", a.CallId), ("$tool", a.ToolName), ("$args", a.ArgumentsJson),
        ("$d", a.Digest), ("$pd", a.PlanDigest), ("$plan", a.PlanJson), ("$reason", a.Reason), ("$rule", a.RuleId),
        ("$status", a.Status.ToString().ToLowerInvariant()), ("$req", a.StagesRequired),
        ("$stages", ApprovalStagesJson.Write(a.Stages)),
        ("$at", SqliteTime.ToUtcText(a.RequestedAt)), ("$exp", SqliteTime.ToUtcText(a.ExpiresAt)),
    ];

    private static Approval ReadApproval(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        RunId = r.GetString(2),
        CallId = r.GetString(3),
        ToolName = r.GetString(4),
        ArgumentsJson = r.GetString(5),
        Digest = r.GetString(6),
        PlanDigest = Text(r, 7),
        PlanJson = Text(r, 8),
        Reason = r.GetString(9),
        RuleId = Text(r, 10),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(11), ignoreCase: true),
        StagesRequired = r.GetInt32(12),
        Stages = ApprovalStagesJson.Read(r.GetString(13)),
        RequestedAt = SqliteTime.FromUtcText(r.GetString(14), 0),
        ExpiresAt = SqliteTime.FromUtcText(r.GetString(15), 0),
    };
}
