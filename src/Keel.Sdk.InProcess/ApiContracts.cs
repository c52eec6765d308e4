using System.Text.Json;
using Keel.Approvals;
using Keel.Audit;
using Keel.Gateway;
using Keel.Interventions;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Storage;
using Keel.Tenancy;
using Keel.Versions;

namespace Keel.Sdk.InProcess;

/// <summary>Core's records in the wire contracts of <c>Keel.Sdk.Api</c>: the one mapping <c>keel serve</c> (src/Keel.Server) and the
/// in-process gateway both answer with, so a run, an outcome or an approval reads the same from either.</summary>
/// <remarks>Pure functions, thread-safe. Status and kind names are Core's snake_case enum names (<see cref="RunEventJson.EnumName{T}"/>).
/// Internal: not part of the package's API, shared with Keel.Server only (InternalsVisibleTo).</remarks>
internal static class ApiContracts
{
    /// <summary>A run as the API shows it, with its version assignment and the customer's sentiment now.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The contract.</returns>
    public static ApiRun ToApi(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.WorkspaceId, run.AgentName, run.AgentVersion, RunEventJson.EnumName(run.Status), run.StartedAt, run.Events.Count, run.Channel,
            run.Origin, ToApi(run.Version), RunListingValues.CustomerSentiment(run));
    }

    /// <summary>A run's version assignment; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="version">The assignment, or <see langword="null"/> for a replayed or ingested run.</param>
    /// <returns>The contract, or <see langword="null"/>.</returns>
    public static ApiRunVersion? ToApi(VersionAssignment? version) => version is null ? null : new(version.Hash, version.Arm, version.Bucket);

    /// <summary>A stored event with its hash chain.</summary>
    /// <param name="record">The stored record.</param>
    /// <returns>The contract; a payload that is not JSON is carried as a JSON string.</returns>
    public static ApiEvent ToApi(AuditEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Sequence, record.Kind, record.Timestamp, record.PreviousHash, record.Hash, Parse(record.PayloadJson));
    }

    /// <summary>The answer to a proposed call.</summary>
    /// <param name="outcome">The pipeline's answer.</param>
    /// <param name="context">The call's context after the pipeline (its plan or plan failure).</param>
    /// <param name="approval">The approval that holds the call, or <see langword="null"/>.</param>
    /// <param name="now">The clock reading the approval's status is shown at (a lapsed one shows <c>expired</c>).</param>
    /// <returns>The contract.</returns>
    public static ApiToolCallOutcome ToApi(ToolCallOutcome outcome, ToolCallContext context, Approval? approval, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(context);
        var d = outcome.Decision;
        return new ApiToolCallOutcome(
            context.Call.Id,
            new ApiDecision(RunEventJson.EnumName(d.Kind), d.Stage, d.RuleId, d.PolicyVersion, d.Reason),
            new ApiToolResult(StatusName(outcome.Result.Status), outcome.Result.Output),
            approval is null ? null : ToApi(approval, now),
            context.Plan is { } plan ? new ApiPlan(ApiPatchOperation.Parse(plan.Patch), plan.Digest, plan.Summary, plan.PreviewTool) : null,
            outcome.Failure is { } f ? new ApiFailure(RunEventJson.EnumName(f.Class), RunEventJson.EnumName(f.Disposition), f.Message) : null,
            context.PlanFailure?.Message);
    }

    /// <summary>An approval as seen at <paramref name="now"/> (a lapsed one shows <c>expired</c>).</summary>
    /// <param name="a">The approval.</param>
    /// <param name="now">The clock reading.</param>
    /// <returns>The contract.</returns>
    public static ApiApproval ToApi(Approval a, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.RunId, a.CallId, a.ToolName, Parse(a.ArgumentsJson), a.Digest, RunEventJson.EnumName(a.StatusAt(now)), a.StagesRequired,
            [.. a.Stages.Select(s => new ApiApprovalStage(s.By, s.Approved ? "approve" : "deny", s.Note, s.At))],
            a.PlanJson is null ? null : ApiPatchOperation.Parse(Parse(a.PlanJson)), a.PlanDigest, a.RequestedAt, a.ExpiresAt, a.Reason, a.RuleId);
    }

    /// <summary>A held reply, and the decision on it once made.</summary>
    /// <param name="reply">The held reply.</param>
    /// <returns>The contract: <c>pending</c> or <c>decided</c>.</returns>
    public static ApiHeldReply ToApi(HeldReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new(reply.InterventionId, reply.Decision is null ? "pending" : "decided", reply.Draft, reply.Channel, reply.Sequence, reply.HeldAt,
            reply.Decision?.Decision, reply.Decision?.Content, reply.Decision?.Operator, reply.Decision?.Timestamp, reply.Decision?.Sequence);
    }

    /// <summary>One delivery for the agent's host.</summary>
    /// <param name="d">The delivery.</param>
    /// <returns>The contract.</returns>
    public static ApiDelivery ToApi(Delivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Sequence, d.Type, d.At, d.By, d.InterventionId, d.Decision, d.Text, d.Role, d.Channel, d.Note);
    }

    /// <summary>A key as listed (never its secret).</summary>
    /// <param name="k">The stored key.</param>
    /// <returns>The contract, its role named as <see cref="KeelRoles.Name"/> does.</returns>
    public static Api.ApiKey ToApi(Tenancy.ApiKey k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new(k.Id, k.Name, KeelRoles.Name(k.Role), k.Agent, k.CreatedAt, k.RevokedAt);
    }

    /// <summary>A key just created, with its secret (shown only this once).</summary>
    /// <param name="k">The stored key.</param>
    /// <param name="secret">The secret key, <c>keel_&lt;key id&gt;_&lt;secret&gt;</c>.</param>
    /// <returns>The contract.</returns>
    public static ApiNewKey ToApi(Tenancy.ApiKey k, string secret)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new(k.Id, secret, k.Name, KeelRoles.Name(k.Role), k.Agent);
    }

    /// <summary>A tool result status's name in the API: <c>success</c>, <c>error</c> or <c>not_executed</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>One of <see cref="ApiToolResult.Success"/>, <see cref="ApiToolResult.Error"/>, <see cref="ApiToolResult.NotExecuted"/>.</returns>
    public static string StatusName(ToolResultStatus status) => status switch
    {
        ToolResultStatus.Ok => ApiToolResult.Success,
        ToolResultStatus.Error => ApiToolResult.Error,
        _ => ApiToolResult.NotExecuted,
    };

    /// <summary>Stored JSON as an element: parsed when it is JSON, otherwise carried as a JSON string.</summary>
    /// <param name="json">The stored text.</param>
    /// <returns>A detached element.</returns>
    public static JsonElement Parse(string json)
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
