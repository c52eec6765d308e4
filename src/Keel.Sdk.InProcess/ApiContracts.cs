using System.Text.Json;
using Keel.Approvals;
using Keel.Audit;
using Keel.Gateway;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Storage;

namespace Keel.Sdk.InProcess;

/// <summary>Core's records in the wire contracts the SDK reads (<c>Keel.Sdk.Api</c>), as <c>keel serve</c> writes them.</summary>
internal static class ApiContracts
{
    /// <summary>A run as the API shows it.</summary>
    public static ApiRun ToApi(Run run) =>
        new(run.Id, run.WorkspaceId, run.AgentName, run.AgentVersion, RunEventJson.EnumName(run.Status), run.StartedAt, run.Events.Count, run.Channel, run.Origin);

    /// <summary>A stored event with its hash chain.</summary>
    public static ApiEvent ToApi(AuditEventRecord record) =>
        new(record.Sequence, record.Kind, record.Timestamp, record.PreviousHash, record.Hash, Parse(record.PayloadJson));

    /// <summary>The answer to a proposed call; <paramref name="approval"/> is the one that holds it, if any.</summary>
    public static ApiToolCallOutcome ToApi(ToolCallOutcome outcome, ToolCallContext context, Approval? approval, DateTimeOffset now)
    {
        var d = outcome.Decision;
        return new ApiToolCallOutcome(
            context.Call.Id,
            new ApiDecision(RunEventJson.EnumName(d.Kind), d.Stage, d.RuleId, d.PolicyVersion, d.Reason),
            new ApiToolResult(StatusName(outcome.Result.Status), outcome.Result.Output),
            approval is null ? null : new ApiApprovalHold(approval.Id, RunEventJson.EnumName(approval.StatusAt(now)), approval.ExpiresAt, approval.Digest),
            context.Plan is { } plan ? new ApiPlan(Patch(plan.Patch.GetRawText()), plan.Digest) : null,
            outcome.Failure is { } f ? new ApiFailure(RunEventJson.EnumName(f.Class), RunEventJson.EnumName(f.Disposition), f.Message) : null);
    }

    /// <summary>An approval as seen at <paramref name="now"/> (a lapsed one shows <c>expired</c>).</summary>
    public static ApiApproval ToApi(Approval a, DateTimeOffset now) => new(
        a.Id, a.RunId, a.CallId, a.ToolName, Parse(a.ArgumentsJson), a.Digest, RunEventJson.EnumName(a.StatusAt(now)), a.StagesRequired,
        [.. a.Stages.Select(s => new ApiApprovalStage(s.By, s.Approved ? "approve" : "deny", s.Note, s.At))],
        a.PlanJson is null ? null : Patch(a.PlanJson), a.PlanDigest, a.RequestedAt, a.ExpiresAt);

    /// <summary>A tool result status's name in the API: <c>success</c>, <c>error</c> or <c>not_executed</c>.</summary>
    public static string StatusName(ToolResultStatus status) => status switch
    {
        ToolResultStatus.Ok => ApiToolResult.Success,
        ToolResultStatus.Error => ApiToolResult.Error,
        _ => ApiToolResult.NotExecuted,
    };

    private static IReadOnlyList<ApiPatchOperation> Patch(string json) =>
        JsonSerializer.Deserialize(json, KeelApiJsonContext.Default.IReadOnlyListApiPatchOperation) ?? [];

    private static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, KeelApiJsonContext.Default.String);
        }
    }
}
