using System.Text.Json;
using Keel.Gateway;
using Keel.Audit;
using Keel.Budgets;
using Keel.Model;
using Keel.Approvals;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Idempotency;
using Keel.Server.Interventions;
using Keel.Interventions;
using Keel.Storage;
using ApiContracts = Keel.Sdk.InProcess.ApiContracts;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Keel.Sdk.Api;

namespace Keel.Server.Runs;

/// <summary>The runs API: open a run, append messages, propose tool calls, close it; read runs and their events.</summary>
internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/runs").WithTags("runs");
        group.MapPost("/", OpenAsync).RequireRole(KeelRole.Agent).WithName("OpenRun");
        group.MapGet("/", ListAsync).WithName("ListRuns");
        group.MapGet("/{runId}", GetAsync).WithName("GetRun");
        group.MapGet("/{runId}/events", EventsAsync).WithName("GetRunEvents");
        group.MapPost("/{runId}/messages", AppendMessageAsync).RequireRole(KeelRole.Agent).WithName("AppendMessage").Produces<AppendMessageResponse>(StatusCodes.Status201Created);
        group.MapPost("/{runId}/tool-calls", ProposeToolCallAsync).RequireRole(KeelRole.Agent).WithName("ProposeToolCall").Produces<Keel.Sdk.Api.ApiToolCallOutcome>();
        group.MapPost("/{runId}/close", CloseAsync).RequireRole(KeelRole.Agent).WithName("CloseRun").Produces<ApiRun>();
        return app;
    }

    private static async Task<IResult> OpenAsync(CreateRunRequest? request, HttpContext http, LiveGateway gateway, VersionResolver versions, IRunStore runs, AccessGuard guard)
    {
        request ??= new CreateRunRequest();
        var caller = Caller.Of(http);
        var runId = LiveRequestRules.NewRunId(request.Id);
        if (request.Channel is { } channel && !LiveRequestRules.IsRunChannel(channel))
        {
            return Problems.Invalid("$.channel", $"channel '{channel}' is not one of {LiveRequestRules.RunChannels}");
        }

        if (request.Id is { } id)
        {
            if (!LiveRequestRules.IsValidRunId(id))
            {
                return Problems.Invalid("$.id", LiveRequestRules.RunIdRule);
            }

            if (await runs.GetRunAsync(caller.WorkspaceId, id, http.RequestAborted) is not null)
            {
                return Problems.Of(409, "run-exists", "Run exists", $"run '{id}' already exists in this workspace");
            }

            if (await guard.OwnedElsewhereAsync(http, ResourceKind.Run, id))
            {
                return await guard.RefuseAsync(http, $"run '{id}' belongs to another workspace");
            }
        }

        // The version is resolved (a registry read, perhaps a load) only for a request that passed the cheap checks.
        if (caller.Key.Agent is not { } agentName || await versions.ResolveAsync(caller.WorkspaceId, agentName, runId, http.RequestAborted) is not { } served)
        {
            return Problems.Of(409, "agent-not-served", "Agent not served", $"this server governs no agent named '{caller.Key.Agent}'; start it with that agent's bundle, or release a version of it ('keel version release')");
        }

        var (agent, assignment) = served;
        var live = await gateway.OpenAsync(caller.WorkspaceId, runId, agent, assignment, request, http.RequestAborted);
        if (live is null)
        {
            // The id was taken between the checks above and the insert: the store's unique constraint decided.
            return await guard.OwnedElsewhereAsync(http, ResourceKind.Run, request.Id!)
                ? await guard.RefuseAsync(http, $"run '{request.Id}' belongs to another workspace")
                : Problems.Of(409, "run-exists", "Run exists", $"run '{request.Id}' already exists in this workspace");
        }

        return TypedResults.Created($"/v1/runs/{live.Run.Id}", ApiContracts.ToApi(live.Run));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IRunStore runs, string? limit, string? cursor)
    {
        var caller = Caller.Of(http);
        var (count, problem) = QueryInteger.Parse(limit, "limit", 1, 1000, 100);
        if (problem is not null)
        {
            return problem;
        }

        var (filters, invalid) = RunFilters.Parse(http.Request.Query);
        if (invalid is not null)
        {
            return invalid;
        }

        RunCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !RunCursor.TryParse(cursor, out after))
        {
            return Problems.Invalid("query:cursor", "cursor is the 'next' value of an earlier page of this listing, sent back unchanged");
        }

        // An agent key sees its own agent's runs: filtered in the store, so a page is full and the cursor is right.
        var query = filters! with { Limit = (int)count, After = after, Agent = caller.Key.Role == KeelRole.Agent ? caller.Key.Agent : null };
        var page = await runs.QueryRunsAsync(caller.WorkspaceId, query, http.RequestAborted);
        return TypedResults.Ok(new RunList(
            [.. page.Runs.Select(r => new ApiRun(r.Id, caller.WorkspaceId, r.AgentName, r.AgentVersion, RunEventJson.EnumName(r.Status), r.StartedAt, r.EventCount, r.Channel, r.Origin, ApiContracts.ToApi(r.Version), r.CustomerSentiment))],
            page.Next?.Encode()));
    }

    private static async Task<IResult> GetAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard)
    {
        var (run, problem) = await FindStoredAsync(runId, http, runs, guard);
        return problem ?? TypedResults.Ok(ApiContracts.ToApi(run!));
    }

    private static async Task<IResult> EventsAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard, string? after)
    {
        var (cursor, invalid) = QueryInteger.Parse(after, "after", 0, long.MaxValue, 0);
        if (invalid is not null)
        {
            return invalid;
        }

        var (run, problem) = await FindStoredAsync(runId, http, runs, guard);
        if (problem is not null)
        {
            return problem;
        }

        if (runs is IAuditLog log)
        {
            // The stored, redacted record with its hash chain (docs/audit.md).
            var records = await log.GetEventRecordsAsync(run!.WorkspaceId, runId, cursor, 10_000, http.RequestAborted);
            return TypedResults.Ok(new EventList([.. records.Select(r => ApiContracts.ToApi(r))]));
        }

        return TypedResults.Ok(new EventList([.. run!.Events
            .Where(e => e.Sequence > cursor)
            .Select(e => new ApiEvent(e.Sequence, RunEventJson.EnumName(e.Kind), e.Timestamp, null, null, ApiContracts.Parse(RunEventJson.Serialize(e))))]));
    }

    private static async Task<IResult> AppendMessageAsync(string runId, AppendMessageRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json)
    {
        if (request is null)
        {
            return Problems.Invalid("$.content", "content is required");
        }

        if (LiveRequestRules.MessageProblem(request.Content, request.Role, request.Usage is { } sent ? (sent.Tokens, sent.InputTokens, sent.OutputTokens, sent.CostUsd) : null,
                request.Channel, out var role) is { } problem)
        {
            return Problems.Invalid(problem.Path, problem.Message);
        }

        return await WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            var use = new BudgetUse(1, 0, request.Usage?.Tokens ?? 0, request.Usage?.CostUsd ?? 0m);
            var reservation = await gateway.ReserveAsync(live, use, http.RequestAborted);
            if (!reservation.Granted)
            {
                return Problems.Of(429, "budget-exceeded", "Budget exceeded", reservation.Reason!, new Dictionary<string, object?> { ["rule_id"] = reservation.RuleId });
            }

            if (request.Usage is { } u)
            {
                live.State.AddUsage(u.Tokens, u.CostUsd);
            }

            // The message gate: decided under the run's lock, so a pause committed before this request took the lock holds it.
            var usage = request.Usage is { } reported
                ? new MessageUsage(reported.Tokens, reported.CostUsd) { InputTokens = reported.InputTokens, OutputTokens = reported.OutputTokens }
                : null;
            if (role == MessageRole.Assistant)
            {
                // An approval decided (or expired) before this request took the lock no longer holds replies, even when its decider
                // has not taken the lock yet to end its pause.
                await gateway.EndSettledApprovalPauseAsync(live, http.RequestAborted);
            }

            var answer = ReplyGate.Append(gateway, live, Caller.Of(http).Key, role, request.Content, request.Channel, usage);
            return await CommitAsync(http, gateway, live, null, executed: false, 201, answer, json,
                $"/v1/runs/{runId}/events?after={answer.Sequence - 1}");
        });
    }

    private static async Task<IResult> ProposeToolCallAsync(string runId, ApiToolCall? request, HttpContext http, LiveGateway gateway, AccessGuard guard, TimeProvider time, IOptions<JsonOptions> json)
    {
        if (request is null)
        {
            return Problems.Invalid("$.id", "the call id is required (1 to 200 characters)");
        }

        if (LiveRequestRules.ToolCallProblem(request.Id, request.Name, request.ParallelIndex, request.ParallelCount) is { } problem)
        {
            return Problems.Invalid(problem.Path, problem.Message);
        }

        // Arguments sent as an object were parsed with the body: the call carries that element on, nothing parses them again.
        var (index, count) = (request.ParallelIndex ?? 0, Math.Max(1, request.ParallelCount ?? 1));
        var call = request.Arguments.ValueKind switch
        {
            JsonValueKind.Object => ToolCall.WithParsedArguments(request.Id, request.Name, request.Arguments, index, count),
            JsonValueKind.String => new ToolCall(request.Id, request.Name, request.Arguments.GetString()!, index, count),
            JsonValueKind.Undefined or JsonValueKind.Null => new ToolCall(request.Id, request.Name, "{}", index, count),
            _ => null,
        };
        if (call is null)
        {
            return Problems.Invalid("$.arguments", "arguments must be a JSON object (or a string holding one)");
        }

        // Arguments sent as a string are JSON inside JSON: the body's check saw only the outer string. Text that is not JSON is
        // the pipeline's to judge (a schema.malformed_json decision, as for a model's malformed call); a string in it that
        // cannot be text (a lone surrogate escape) cannot be decided on, fingerprinted or stored, so it is refused here.
        if (request.Arguments.ValueKind == JsonValueKind.String
            && JsonInput.Check(call.ArgumentsJson, "$.arguments") is { Kind: JsonInputProblemKind.Text } inner)
        {
            return Problems.Malformed(inner.Path, inner.Message);
        }

        var caller = Caller.Of(http);
        return await WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            if (MessageGate.RefusesToolCalls(live.Run.Status))
            {
                // Nothing is recorded and nothing runs: the same call may be proposed again, with the same id, once released.
                return Problems.Of(409, "run-taken-over", "Run taken over",
                    $"an operator has taken run '{runId}' over; the tool was not called. Wait for 'released' on /v1/runs/{runId}/stream, then propose the call again.");
            }

            if (live.HasCall(call.Id))
            {
                // A call id is proposed once per run, whatever the idempotency keys: a retry of the same request with the same key
                // gets its stored answer; anything else is a new call and needs a new id.
                return Problems.Of(409, "call-id-used", "Call id used", $"call '{call.Id}' was already proposed in run '{runId}'; propose a new call with a new id");
            }

            if (!live.Agent.Tools.Contains(call.ToolName))
            {
                // Least privilege: an agent key calls only the tools its agent version lists. The pipeline records and denies
                // the call (the agent reads the decision); the access log records the attempt.
                await guard.RecordAsync(http, $"agent '{caller.Key.Agent}' may not call '{call.ToolName}': its version does not list it");
            }

            var proposed = await gateway.ProposeAsync(live, call, http.RequestAborted);
            var (outcome, context, approval) = (proposed.Outcome, proposed.Context, proposed.Approval);
            var answer = ApiContracts.ToApi(outcome, context, approval, time.GetUtcNow());
            return await CommitAsync(http, gateway, live, proposed.ApprovalIsNew ? approval : null, proposed.Executed, 200, answer, json, location: null);
        });
    }

    private static async Task<IResult> CloseAsync(string runId, CloseRunRequest? request, HttpContext http, LiveGateway gateway, AccessGuard guard, IOptions<JsonOptions> json)
    {
        var status = request?.Status switch
        {
            null or "completed" => RunStatus.Completed,
            "failed" => RunStatus.Failed,
            _ => (RunStatus?)null,
        };
        if (status is null)
        {
            return Problems.Invalid("$.status", $"status '{request?.Status}' is not completed or failed");
        }

        return await WithOpenRunAsync(runId, http, gateway, guard, async live =>
        {
            gateway.Close(live, status.Value);
            return await CommitAsync(http, gateway, live, null, executed: false, 200, ApiContracts.ToApi(live.Run), json, location: null);
        });
    }

    /// <summary>Commits the request's changes with its answer (and the idempotency record of that answer) in one transaction, then
    /// answers: the answer itself once it is durable; <c>executed-not-recorded</c> when the tool ran but the store refused the
    /// record (kept and retried; a retry with the same key gets the outcome, never a second execution); <c>run-conflict</c> when
    /// another instance committed to the run first and nothing ran.</summary>
    internal static async Task<IResult> CommitAsync<T>(HttpContext http, LiveGateway gateway, LiveRun live, Approval? newApproval, bool executed, int status, T body,
        IOptions<JsonOptions> json, string? location)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, json.Value.SerializerOptions);
        const string contentType = "application/json; charset=utf-8";
        var result = await gateway.CommitAsync(live, newApproval, executed, new StoredResponse(status, contentType, bytes), IdempotencyScope.Of(http), http.RequestAborted);
        switch (result)
        {
            case CommitResult.Committed:
                if (location is not null)
                {
                    http.Response.Headers.Location = location;
                }

                return new SerializedJson(status, contentType, bytes);
            case CommitResult.Conflict:
                return Problems.Of(409, "run-conflict", "Run changed", $"another request committed to run '{live.Run.Id}' first; nothing was changed by this one. Retry it.");
            default:
                http.Response.Headers.RetryAfter = "1";
                return Problems.Of(503, "executed-not-recorded", "Executed, not recorded",
                    $"the tool call ran, but its record could not be stored yet; Keel keeps the outcome and stores it as soon as the database accepts it. "
                    + "Do not repeat the call under a new call id or idempotency key: a retry with the same request and key gets the outcome without running the tool again.",
                    new Dictionary<string, object?> { ["outcome"] = JsonSerializer.Deserialize<JsonElement>(bytes) });
        }
    }

    /// <summary>Finds the caller's open live run and runs <paramref name="work"/> under its lock; a request that fails throws the
    /// run's cached state away so nothing of it stays behind.</summary>
    internal static async Task<IResult> WithOpenRunAsync(string runId, HttpContext http, LiveGateway gateway, AccessGuard guard, Func<LiveRun, Task<IResult>> work)
    {
        var caller = Caller.Of(http);
        LiveRun? live;
        try
        {
            live = await gateway.AcquireAsync(caller.WorkspaceId, runId, http.RequestAborted);
        }
        catch (RunBusyException busy)
        {
            return Problems.Of(409, "run-busy", "Run busy",
                $"run '{runId}' has been deciding other calls for {busy.Waited.TotalSeconds:0.#} s, the longest one call can take; retry later");
        }

        if (live is null)
        {
            return await guard.MissingAsync(http, ResourceKind.Run, "run", runId);
        }

        try
        {
            if (caller.Key.Role == KeelRole.Agent && live.Run.AgentName != caller.Key.Agent)
            {
                return await guard.RefuseAsync(http, $"run '{runId}' belongs to agent '{live.Run.AgentName}', not to this key's agent '{caller.Key.Agent}'");
            }

            return live.IsOpen ? await work(live)
                : live.Run is { Status: RunStatus.HandedOff, Handoff: { } packet }
                    // An escalation rule (or a transfer) handed the run to people: the agent's next call or reply is told so, with whom.
                    ? Problems.Of(409, "run-handed-off", "Run handed off",
                        $"run '{runId}' was handed to {packet.TargetTeam} ({packet.Priority}): {packet.Reason}; the agent must not continue it",
                        new Dictionary<string, object?> { ["team"] = packet.TargetTeam, ["priority"] = packet.Priority, ["rule"] = packet.Rule })
                    : Problems.Of(409, "run-closed", "Run closed", $"run '{runId}' is {RunEventJson.EnumName(live.Run.Status)}; open a new run");
        }
        catch
        {
            if (live.Pending is null)
            {
                gateway.Evict(live);
            }

            throw;
        }
        finally
        {
            gateway.Release(live);
        }
    }

    internal static async Task<(Run? Run, IResult? Problem)> FindStoredAsync(string runId, HttpContext http, IRunStore runs, AccessGuard guard)
    {
        var caller = Caller.Of(http);
        var run = await runs.GetRunAsync(caller.WorkspaceId, runId, http.RequestAborted);
        if (run is null)
        {
            return (null, await guard.MissingAsync(http, ResourceKind.Run, "run", runId));
        }

        return caller.Key.Role == KeelRole.Agent && run.AgentName != caller.Key.Agent
            ? (null, await guard.RefuseAsync(http, $"run '{runId}' belongs to another agent"))
            : (run, null);
    }

    /// <summary>An answer already serialized (the same bytes the idempotency record stores).</summary>
    private sealed class SerializedJson(int status, string contentType, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
