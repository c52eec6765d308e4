using System.Globalization;
using System.Text.Json;
using Keel.Sdk.Api;
using ModelContextProtocol.Protocol;

namespace Keel.Mcp;

/// <summary><c>keel_approval_status</c>: the tool Keel adds to every MCP session so the model can learn whether a held call was
/// approved, denied or has expired, instead of guessing when to try again (docs/mcp-gateway.md, "Held calls").</summary>
/// <remarks>It reads <c>GET /v1/approvals/{approval_id}</c> with the session's agent key: an agent sees the approvals of its own
/// workspace only. When the agent's own catalog already has a tool of this name, the catalog's tool wins and this one is not
/// listed.</remarks>
internal static class ApprovalStatusTool
{
    /// <summary>The tool's name.</summary>
    public const string Name = "keel_approval_status";

    private static readonly JsonElement _schema = JsonElement.Parse("""
        {"type":"object","properties":{"approval_id":{"type":"string","description":"The approval id Keel named when it held the call, e.g. apr_..."}},"required":["approval_id"],"additionalProperties":false}
        """);

    /// <summary>The tool as MCP lists it: read-only, idempotent, closed world.</summary>
    public static Tool Definition { get; } = new()
    {
        Name = Name,
        Description = "Keel: whether a person has approved a tool call that Keel held for approval. Pass the approval id from Keel's message. "
            + "When it says granted, make exactly the same call again; it then runs once.",
        InputSchema = _schema,
        Annotations = new ToolAnnotations { Title = "Keel approval status", ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false },
    };

    /// <summary>The approval id argument, or <see langword="null"/> when it is missing or not a non-empty string.</summary>
    public static string? ApprovalId(IDictionary<string, JsonElement>? arguments) =>
        arguments is not null && arguments.TryGetValue("approval_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>What the model reads about an approval: its status and what to do next.</summary>
    public static string Describe(ApiApproval approval) => approval.Status switch
    {
        "pending" => $"Approval {approval.Id} for {approval.Tool} is still pending ({Stages(approval)}); it expires {Time(approval.ExpiresAt)}. Ask the user to wait and check again later.",
        "granted" => $"Approval {approval.Id} for {approval.Tool} was granted{By(approval)}. Make exactly the same call again now (same tool, same arguments); it runs once.",
        "denied" => $"Approval {approval.Id} for {approval.Tool} was denied{By(approval)}. Do not make the call again; tell the user it was refused.",
        "expired" => $"Approval {approval.Id} for {approval.Tool} expired at {Time(approval.ExpiresAt)} without a decision. Making the same call again asks for a new approval.",
        "used" => $"Approval {approval.Id} for {approval.Tool} was granted and the approved call has already run; it cannot be used again.",
        var other => $"Approval {approval.Id} for {approval.Tool} has status '{other}'.",
    };

    private static string Stages(ApiApproval approval) =>
        string.Create(CultureInfo.InvariantCulture, $"{approval.Stages?.Count ?? 0} of {approval.StagesRequired} approvals given");

    private static string By(ApiApproval approval) => approval.Stages is { Count: > 0 } stages
        ? $" by {stages[^1].By}{(stages[^1].Note is { Length: > 0 } note ? $" (\"{note}\")" : string.Empty)}"
        : string.Empty;

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
