using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Sdk.Api;
using ModelContextProtocol.Protocol;

namespace Keel.Mcp;

/// <summary>Turns Keel's tool-call outcome into the MCP tool result the model reads (docs/mcp-gateway.md, "What the model reads").</summary>
internal static class OutcomeText
{
    private const int MaxPlanSummary = 600;

    /// <summary>Maps an outcome: the tool's output for an allowed call; a tool error (<c>isError</c>) for everything else.</summary>
    public static CallToolResult ToResult(ApiToolCallOutcome outcome)
    {
        var decision = outcome.Decision;
        var output = outcome.Result?.Output ?? string.Empty;
        return decision.Kind switch
        {
            ApiDecisionKinds.Allow when outcome.Result?.Status == ApiToolResult.Success => Text(output, isError: false),
            ApiDecisionKinds.Allow when outcome.Result?.Status == ApiToolResult.Error => Text(output, isError: true),
            ApiDecisionKinds.Allow => Text($"Keel did not run this call: {(output.Length > 0 ? output : decision.Reason)}", isError: true),
            ApiDecisionKinds.Deny or ApiDecisionKinds.Escalate => Text(Denied(decision), isError: true),
            ApiDecisionKinds.RequireApproval => Text(Held(outcome), isError: true),
            ApiDecisionKinds.RequirePlan => Text(HeldForPlan(outcome), isError: true),
            _ => Text($"Keel did not run this call: it answered the unknown decision '{decision.Kind}': {decision.Reason}", isError: true),
        };
    }

    /// <summary>A tool error with one text block.</summary>
    public static CallToolResult Text(string text, bool isError) => new() { Content = [new TextContentBlock { Text = text }], IsError = isError };

    /// <summary><c>Keel denied this call: &lt;reason&gt; (rule &lt;rule id&gt;)</c>; the stage instead when no rule decided.</summary>
    public static string Denied(ApiDecision decision) =>
        $"Keel denied this call: {decision.Reason} ({(decision.RuleId is { Length: > 0 } rule ? $"rule {rule}" : $"stage {decision.Stage}")})";

    private static string Held(ApiToolCallOutcome outcome) => outcome.Approval is { } approval
        ? $"Keel is holding this call for approval {approval.Id} (expires {Time(approval.ExpiresAt)}). Ask the user to wait; {ApprovalStatusTool.Name} with approval_id \"{approval.Id}\" tells whether a person approved it; once approved, make exactly the same call again."
        : $"Keel is holding this call for a person's approval: {outcome.Decision.Reason}. Ask the user to wait; when a person approves it, make exactly the same call again.";

    private static string HeldForPlan(ApiToolCallOutcome outcome)
    {
        var plan = outcome.Plan is { Patch.Count: > 0 } p ? $"it would {Summary(p.Patch)}" : outcome.Decision.Reason;
        return outcome.Approval is { } approval
            ? $"Keel is holding this call until a person reviews its plan ({plan}) for approval {approval.Id} (expires {Time(approval.ExpiresAt)}). Ask the user to wait; {ApprovalStatusTool.Name} with approval_id \"{approval.Id}\" tells whether a person approved it; once approved, make exactly the same call again."
            : $"Keel is holding this call until a person reviews its plan ({plan}). Ask the user to wait; when the plan is approved, make exactly the same call again.";
    }

    /// <summary>A JSON Patch read aloud: <c>replace /status with "cancelled"; remove /seat</c>, cut at about 600 characters.</summary>
    public static string Summary(IReadOnlyList<ApiPatchOperation> patch)
    {
        var text = new StringBuilder();
        for (var i = 0; i < patch.Count; i++)
        {
            var step = Describe(patch[i]);
            if (text.Length > 0 && text.Length + step.Length > MaxPlanSummary)
            {
                text.Append(CultureInfo.InvariantCulture, $"; and {patch.Count - i} more change{(patch.Count - i == 1 ? string.Empty : "s")}");
                break;
            }

            text.Append(text.Length == 0 ? string.Empty : "; ").Append(step);
        }

        return text.ToString();
    }

    private static string Describe(ApiPatchOperation op) => op.Op switch
    {
        "replace" => $"replace {op.Path} with {Value(op.Value)}",
        "add" => $"add {op.Path} = {Value(op.Value)}",
        "remove" => $"remove {op.Path}",
        "move" => $"move {op.From} to {op.Path}",
        "copy" => $"copy {op.From} to {op.Path}",
        "test" => $"check {op.Path} is {Value(op.Value)}",
        _ => $"{op.Op} {op.Path}",
    };

    private static string Value(JsonElement? value)
    {
        var text = value is { } v ? v.GetRawText() : "null";
        return text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "…");
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
