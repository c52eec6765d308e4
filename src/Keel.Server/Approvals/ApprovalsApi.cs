using Keel.Approvals;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using Keel.Sdk.Api;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Approvals;

/// <summary>The approvals inbox: list held calls, approve or deny them.</summary>
internal static class ApprovalsApi
{
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/approvals").WithTags("approvals");
        group.MapGet("/", ListAsync).RequireRole(KeelRole.Operator).WithName("ListApprovals").Produces<ApprovalList>();
        group.MapGet("/{approvalId}", GetAsync).WithName("GetApproval").Produces<ApiApproval>();
        group.MapPost("/{approvalId}/approve", (string approvalId, ApprovalNoteRequest? request, HttpContext http, ApprovalDecider decider, AccessGuard guard, TimeProvider time) =>
            DecideAsync(approvalId, approve: true, request, http, decider, guard, time)).RequireRole(KeelRole.Operator).WithName("ApproveCall").Produces<ApiApproval>();
        group.MapPost("/{approvalId}/deny", (string approvalId, ApprovalNoteRequest? request, HttpContext http, ApprovalDecider decider, AccessGuard guard, TimeProvider time) =>
            DecideAsync(approvalId, approve: false, request, http, decider, guard, time)).RequireRole(KeelRole.Operator).WithName("DenyCall").Produces<ApiApproval>();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IApprovalStore store, TimeProvider time, string? status, string? limit)
    {
        var (count, invalid) = QueryInteger.Parse(limit, "limit", 1, 1000, 100);
        if (invalid is not null)
        {
            return invalid;
        }

        ApprovalStatus? filter = null;
        if (status is not null)
        {
            if (!RunEventJson.TryParseEnumName<ApprovalStatus>(status, out var parsed))
            {
                return Problems.Invalid("query:status", $"status '{status}' is not one of pending, granted, denied, expired, used");
            }

            filter = parsed;
        }

        var now = time.GetUtcNow();
        var list = await store.ListAsync(Caller.Of(http).WorkspaceId, filter is ApprovalStatus.Expired ? null : filter, (int)count, http.RequestAborted);
        return TypedResults.Ok(new ApprovalList([.. list
            .Where(a => filter is null || a.StatusAt(now) == filter)
            .Select(a => ApiContracts.ToApi(a, now))]));
    }

    private static async Task<IResult> GetAsync(string approvalId, HttpContext http, IApprovalStore store, AccessGuard guard, TimeProvider time, IRunStore runs)
    {
        var caller = Caller.Of(http);
        var approval = await store.GetAsync(caller.WorkspaceId, approvalId, http.RequestAborted);
        if (approval is null)
        {
            return await guard.MissingAsync(http, ResourceKind.Approval, "approval", approvalId);
        }

        if (caller.Key.Role == KeelRole.Agent && (await runs.GetRunAsync(caller.WorkspaceId, approval.RunId, http.RequestAborted))?.AgentName != caller.Key.Agent)
        {
            return await guard.RefuseAsync(http, $"approval '{approvalId}' holds a call of another agent");
        }

        return TypedResults.Ok(ApiContracts.ToApi(approval, time.GetUtcNow()));
    }

    private static async Task<IResult> DecideAsync(string approvalId, bool approve, ApprovalNoteRequest? request, HttpContext http, ApprovalDecider decider, AccessGuard guard, TimeProvider time)
    {
        if (request?.Note is { Length: > 2000 })
        {
            return Problems.Invalid("$.note", "a note has at most 2,000 characters");
        }

        var (approval, error) = await decider.DecideAsync(Caller.Of(http), approvalId, approve, request?.Note, http.RequestAborted);
        if (approval is null)
        {
            return await guard.MissingAsync(http, ResourceKind.Approval, "approval", approvalId);
        }

        return error is not null
            ? Problems.Of(409, "approval-not-pending", "Approval cannot be decided", error)
            : TypedResults.Ok(ApiContracts.ToApi(approval, time.GetUtcNow()));
    }
}
