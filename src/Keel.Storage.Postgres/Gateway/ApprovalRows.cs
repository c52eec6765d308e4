using Keel.Approvals;
using Npgsql;

namespace Keel.Storage.Postgres.Gateway;

/// <summary>The <c>approvals</c> table: its columns, and reading, inserting and updating rows inside the caller's transaction (the
/// gateway store and the live path's commit share them).</summary>
internal static class ApprovalRows
{
    /// <summary>The columns in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = """
        id, workspace_id, run_id, call_id, tool_name, arguments_json, digest, plan_digest, plan_json, reason, rule_id, status,
        stages_required, stages_json, requested_at, expires_at
        """;

    /// <summary>Inserts an approval.</summary>
    /// <exception cref="NpgsqlException">The row was refused (e.g. its id is taken in the workspace).</exception>
    public static Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Approval a) =>
        Sql.ExecuteAsync(connection, transaction, $"""
            INSERT INTO approvals ({Columns})
            VALUES (@id, @ws, @run, @call, @tool, @args, @d, @pd, @plan, @reason, @rule, @status, @req, @stages, @at, @exp)
            """,
            ("id", a.Id), ("ws", a.WorkspaceId), ("run", a.RunId), ("call", a.CallId), ("tool", a.ToolName), ("args", a.ArgumentsJson),
            ("d", a.Digest), ("pd", a.PlanDigest), ("plan", a.PlanJson), ("reason", a.Reason), ("rule", a.RuleId), ("status", Status(a.Status)),
            ("req", a.StagesRequired), ("stages", Stages(a)), ("at", PostgresTime.ToUtcText(a.RequestedAt)), ("exp", PostgresTime.ToUtcText(a.ExpiresAt)));

    /// <summary>Writes an approval's status and stages.</summary>
    public static Task<int> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Approval approval) =>
        Sql.ExecuteAsync(connection, transaction, "UPDATE approvals SET status = @status, stages_json = @stages WHERE workspace_id = @ws AND id = @id",
            ("status", Status(approval.Status)), ("stages", Stages(approval)), ("ws", approval.WorkspaceId), ("id", approval.Id));

    /// <summary>Reads every row a query returns (its select list is <see cref="Columns"/>).</summary>
    public static async Task<List<Approval>> ReadAllAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<Approval>();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>The stored name of a status: its lower-case name.</summary>
    public static string Status(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Reads the current row.</summary>
    public static Approval Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        RunId = r.GetString(2),
        CallId = r.GetString(3),
        ToolName = r.GetString(4),
        ArgumentsJson = r.GetString(5),
        Digest = r.GetString(6),
        PlanDigest = Sql.Text(r, 7),
        PlanJson = Sql.Text(r, 8),
        Reason = r.GetString(9),
        RuleId = Sql.Text(r, 10),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(11), ignoreCase: true),
        StagesRequired = r.GetInt32(12),
        Stages = ApprovalStagesJson.Read(r.GetString(13)),
        RequestedAt = PostgresTime.FromUtcText(r.GetString(14)),
        ExpiresAt = PostgresTime.FromUtcText(r.GetString(15)),
    };

    private static string Stages(Approval approval) => ApprovalStagesJson.Write(approval.Stages);
}
