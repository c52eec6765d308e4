using System.Net;
using System.Text.Json;
using Keel.Sdk.Api;
using Keel.Mcp.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Api;

/// <summary>KeelGatewayClient against a real HTTP server on 127.0.0.1 answering canned docs/gateway-api.md responses.</summary>
public sealed class KeelGatewayClientTests
{
    private const string Key = "keel_k1_s3cret";

    private const string RunJson = """
        {"id": "run_7", "workspace_id": "acme", "agent": "airline", "agent_version": "1.2.0", "status": "active", "started_at": "2025-03-01T10:00:00Z", "event_count": 0}
        """;

    private const string OutcomeJson = """
        {"call_id": "call_1",
         "decision": {"kind": "require_approval", "stage": "approval_gate", "rule_id": "refund-over-500", "policy_version": "3", "reason": "refunds over 500 USD need a person"},
         "result": {"status": "not_executed", "output": ""},
         "approval": {"id": "apr_9", "run_id": "run_7", "call_id": "call_1", "tool": "refund", "arguments": {"amount": 700}, "digest": "sha256:ab",
                      "status": "pending", "reason": "refunds over 500 USD need a person", "rule_id": "refund-over-500", "stages_required": 1,
                      "stages": [], "plan": null, "plan_digest": null, "requested_at": "2025-03-01T10:00:00Z", "expires_at": "2025-03-01T11:00:00Z"},
         "plan": {"patch": [{"op": "replace", "path": "/status", "value": "cancelled"}], "digest": "sha256:cd"},
         "failure": {"class": "policy", "disposition": "escalate", "message": "held for approval"}}
        """;

    private const string ApprovalJson = """
        {"id": "apr_9", "run_id": "run_7", "call_id": "call_1", "tool": "refund", "arguments": {"amount": 700}, "digest": "sha256:ab", "status": "granted",
         "stages_required": 1, "stages": [{"by": "ops-key", "decision": "approve", "note": "ok", "at": "2025-03-01T10:05:00Z"}],
         "requested_at": "2025-03-01T10:00:00Z", "expires_at": "2025-03-01T11:00:00Z"}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JsonElement Body(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task CreateRunAsync_WithChannelAndKey_SendsBearerKeySnakeCaseBodyAndIdempotencyKey()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(201, RunJson));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var run = await client.CreateRunAsync(new CreateRunRequest(Channel: "mcp", WorkflowClass: "refunds"), "open-1", Token);

        var request = server.Requests.Single();
        (request.Method, request.PathAndQuery).ShouldBe(("POST", "/v1/runs"));
        request.Header("Authorization").ShouldBe("Bearer keel_k1_s3cret");
        request.Header("Idempotency-Key").ShouldBe("open-1");
        request.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        request.Body.ShouldBe("""{"channel":"mcp","workflow_class":"refunds"}""");
        run.ShouldBe(new ApiRun("run_7", "acme", "airline", "1.2.0", "active", new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), 0));
    }

    [Fact]
    public async Task ProposeToolCallAsync_NoKeyGiven_SendsNoKeySoTheServerKeysByRunAndCallAndReadsEveryOutcomeField()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200, OutcomeJson));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);
        using var arguments = JsonDocument.Parse("""{"amount": 700, "reason": "late"}""");

        var outcome = await client.ProposeToolCallAsync("run_7", new ApiToolCall("call_1", "refund", arguments.RootElement), cancellationToken: Token);

        var request = server.Requests.Single();
        (request.Method, request.PathAndQuery).ShouldBe(("POST", "/v1/runs/run_7/tool-calls"));
        request.Header("Idempotency-Key").ShouldBeNull();
        request.Body.ShouldBe("""{"id":"call_1","name":"refund","arguments":{"amount":700,"reason":"late"}}""");
        outcome.CallId.ShouldBe("call_1");
        outcome.Decision.ShouldBe(new ApiDecision(ApiDecisionKinds.RequireApproval, "approval_gate", "refund-over-500", "3", "refunds over 500 USD need a person"));
        outcome.Result.ShouldBe(new ApiToolResult(ApiToolResult.NotExecuted, string.Empty));
        var approval = outcome.Approval.ShouldNotBeNull();
        (approval.Id, approval.RunId, approval.CallId, approval.Tool, approval.Status, approval.Digest).ShouldBe(("apr_9", "run_7", "call_1", "refund", "pending", "sha256:ab"));
        (approval.Reason, approval.RuleId, approval.StagesRequired, approval.ExpiresAt).ShouldBe(
            ("refunds over 500 USD need a person", "refund-over-500", 1, new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero)));
        approval.Arguments.GetProperty("amount").GetInt32().ShouldBe(700);
        outcome.Plan!.Digest.ShouldBe("sha256:cd");
        var op = outcome.Plan.Patch.Single();
        (op.Op, op.Path, op.Value!.Value.GetString()).ShouldBe(("replace", "/status", "cancelled"));
        outcome.Failure.ShouldBe(new ApiFailure("policy", "escalate", "held for approval"));
    }

    [Fact]
    public async Task ProposeToolCallAsync_ParallelCallWithOwnKey_SendsParallelFieldsAndThatKey()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200, OutcomeJson));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);
        using var arguments = JsonDocument.Parse("{}");

        await client.ProposeToolCallAsync("run_7", new ApiToolCall("call_2", "think", arguments.RootElement, 1, 2), "retry-key", Token);

        var request = server.Requests.Single();
        request.Header("Idempotency-Key").ShouldBe("retry-key");
        request.Body.ShouldBe("""{"id":"call_2","name":"think","arguments":{},"parallel_index":1,"parallel_count":2}""");
    }

    [Fact]
    public async Task ProposeToolCallAsync_ProblemDetailsAnswer_ThrowsKeelApiExceptionCarryingTheProblem()
    {
        await using var server = FakeKeelServer.Start(_ => new FakeResponse(422,
            """{"type":"urn:keel:problem:idempotency-key-reuse","title":"Idempotency key reused","status":422,"detail":"key call_1 was used for another body","errors":{"$.arguments":["changed"]}}""",
            "application/problem+json"));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);
        using var arguments = JsonDocument.Parse("{}");

        var ex = await Should.ThrowAsync<KeelApiException>(() => client.ProposeToolCallAsync("run_7", new ApiToolCall("call_1", "refund", arguments.RootElement), cancellationToken: Token));

        ex.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        ex.Problem.Type.ShouldBe("urn:keel:problem:idempotency-key-reuse");
        ex.Problem.Title.ShouldBe("Idempotency key reused");
        ex.Problem.Status.ShouldBe(422);
        ex.Problem.Detail.ShouldBe("key call_1 was used for another body");
        ex.Problem.Errors!.Value.GetProperty("$.arguments")[0].GetString().ShouldBe("changed");
        ex.Message.ShouldBe("Idempotency key reused (HTTP 422): key call_1 was used for another body");
        ex.IsKeyRefused.ShouldBeFalse();
        ex.Message.ShouldNotContain(Key);
    }

    [Fact]
    public async Task ListToolsAsync_RevokedKey_ThrowsAKeyRefusedException()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Problem(401, "urn:keel:problem:unauthorized", "Unauthorized", "the key is revoked"));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var ex = await Should.ThrowAsync<KeelApiException>(() => client.ListToolsAsync(Token));

        ex.IsKeyRefused.ShouldBeTrue();
        ex.Message.ShouldBe("Unauthorized (HTTP 401): the key is revoked");
    }

    [Fact]
    public async Task ListToolsAsync_ErrorWithoutProblemDocument_ThrowsWithTheStatusAndReason()
    {
        await using var server = FakeKeelServer.Start(_ => new FakeResponse(502, "<html>bad gateway</html>", "text/html"));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var ex = await Should.ThrowAsync<KeelApiException>(() => client.ListToolsAsync(Token));

        ex.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        ex.Problem.ShouldBe(new ApiProblem("about:blank", "Bad Gateway", 502, "the server answered without a problem document"));
    }

    [Fact]
    public async Task ListToolsAsync_ToolsOfTheKey_ReadsNameDescriptionAndSchema()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200,
            """{"tools": [{"name": "refund", "description": "Refund an order.", "input_schema": {"type": "object", "properties": {"amount": {"type": "number"}}}}]}"""));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var tools = await client.ListToolsAsync(Token);

        server.Requests.Single().PathAndQuery.ShouldBe("/v1/tools");
        var tool = tools.Single();
        (tool.Name, tool.Description).ShouldBe(("refund", "Refund an order."));
        tool.InputSchema.GetProperty("properties").GetProperty("amount").GetProperty("type").GetString().ShouldBe("number");
    }

    [Fact]
    public async Task AppendMessageAsync_WithUsage_SendsSnakeCaseUsageAndReturnsTheSequence()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(201, """{"sequence": 4}"""));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var sequence = await client.AppendMessageAsync("run_7", new AppendMessageRequest("assistant", "Done.", new ApiUsage(120, 0.0042m)), cancellationToken: Token);

        sequence.ShouldBe(4);
        var request = server.Requests.Single();
        request.PathAndQuery.ShouldBe("/v1/runs/run_7/messages");
        request.Header("Idempotency-Key").ShouldBeNull();
        request.Body.ShouldBe("""{"role":"assistant","content":"Done.","usage":{"tokens":120,"cost_usd":0.0042}}""");
    }

    [Fact]
    public async Task CloseRunAsync_Completed_PostsTheStatusAndReadsTheRun()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200, RunJson.Replace("\"active\"", "\"completed\"", StringComparison.Ordinal)));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var run = await client.CloseRunAsync("run_7", "completed", cancellationToken: Token);

        run.Status.ShouldBe("completed");
        var request = server.Requests.Single();
        (request.Method, request.PathAndQuery, request.Body).ShouldBe(("POST", "/v1/runs/run_7/close", """{"status":"completed"}"""));
    }

    [Fact]
    public async Task ListEventsAsync_AfterASequence_AsksForLaterEventsAndKeepsTheirData()
    {
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200,
            """{"events": [{"sequence": 4, "kind": "tool_call", "timestamp": "2025-03-01T10:01:00Z", "prev_hash": "h3", "hash": "h4", "data": {"tool": "refund"}}]}"""));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var events = await client.ListEventsAsync("run 7/x", after: 3, Token);

        server.Requests.Single().PathAndQuery.ShouldBe("/v1/runs/run%207%2Fx/events?after=3");
        var e = events.Single();
        (e.Sequence, e.Kind, e.PrevHash, e.Hash).ShouldBe((4L, "tool_call", "h3", "h4"));
        e.Data.GetProperty("tool").GetString().ShouldBe("refund");
    }

    [Fact]
    public async Task Approvals_ListGetApproveDeny_UseTheDocumentedPathsAndBodies()
    {
        await using var server = FakeKeelServer.Start(r => r.PathAndQuery.StartsWith("/v1/approvals?", StringComparison.Ordinal)
            ? FakeResponse.Json(200, $$"""{"approvals": [{{ApprovalJson}}]}""")
            : FakeResponse.Json(200, ApprovalJson));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var pending = await client.ListApprovalsAsync(cancellationToken: Token);
        var one = await client.GetApprovalAsync("apr_9", Token);
        await client.ApproveAsync("apr_9", "ok", "approve-1", Token);
        await client.DenyAsync("apr_9", cancellationToken: Token);

        server.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Body}").ShouldBe([
            "GET /v1/approvals?status=pending ",
            "GET /v1/approvals/apr_9 ",
            """POST /v1/approvals/apr_9/approve {"note":"ok"}""",
            "POST /v1/approvals/apr_9/deny {}",
        ]);
        server.Requests.ElementAt(2).Header("Idempotency-Key").ShouldBe("approve-1");
        (pending.Single().Id, pending.Single().Digest, pending.Single().ExpiresAt).ShouldBe((one.Id, one.Digest, one.ExpiresAt));
        (one.RunId, one.CallId, one.Tool, one.Status, one.StagesRequired).ShouldBe(("run_7", "call_1", "refund", "granted", 1));
        one.Arguments.GetProperty("amount").GetInt32().ShouldBe(700);
        one.Stages!.Single().ShouldBe(new ApiApprovalStage("ops-key", "approve", "ok", new DateTimeOffset(2025, 3, 1, 10, 5, 0, TimeSpan.Zero)));
        (one.Plan, one.PlanDigest).ShouldBe((null, null));
    }

    [Fact]
    public async Task GetApprovalAsync_PlanHeldCall_ReadsThePatchArrayAndItsDigest()
    {
        // The server writes an approval's plan as the patch array with plan_digest beside it (docs/gateway-api.md, "approval").
        const string Plan = "\"plan\": [{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"cancelled\"}], \"plan_digest\": \"sha256:cd\", ";
        var withPlan = ApprovalJson.Replace("\"requested_at\"", Plan + "\"requested_at\"", StringComparison.Ordinal);
        await using var server = FakeKeelServer.Start(_ => FakeResponse.Json(200, withPlan));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var approval = await client.GetApprovalAsync("apr_9", Token);

        approval.PlanDigest.ShouldBe("sha256:cd");
        var op = approval.Plan!.Single();
        (op.Op, op.Path, op.Value!.Value.GetString()).ShouldBe(("replace", "/status", "cancelled"));
    }

    [Fact]
    public async Task Keys_CreateListRevoke_UseTheDocumentedPaths()
    {
        await using var server = FakeKeelServer.Start(r => r.Method switch
        {
            "POST" => FakeResponse.Json(201, """{"id": "k2", "key": "keel_k2_x", "name": "bot", "role": "agent", "agent": "airline"}"""),
            "GET" => FakeResponse.Json(200, """{"keys": [{"id": "k2", "name": "bot", "role": "agent", "agent": "airline", "created_at": "2025-03-01T10:00:00Z", "revoked_at": null}]}"""),
            _ => new FakeResponse(204),
        });
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        var created = await client.CreateKeyAsync(new CreateKeyRequest("bot", "agent", "airline"), cancellationToken: Token);
        var keys = await client.ListKeysAsync(Token);
        await client.RevokeKeyAsync("k2", Token);

        created.ShouldBe(new ApiNewKey("k2", "keel_k2_x", "bot", "agent", "airline"));
        keys.Single().RevokedAt.ShouldBeNull();
        server.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Body}").ShouldBe([
            """POST /v1/keys {"name":"bot","role":"agent","agent":"airline"}""",
            "GET /v1/keys ",
            "DELETE /v1/keys/k2 ",
        ]);
    }

    [Fact]
    public async Task HealthAndReady_NeedNoKey_And503MeansNotReady()
    {
        await using var server = FakeKeelServer.Start(r => r.PathAndQuery == "/health"
            ? FakeResponse.Json(200, """{"status":"healthy"}""")
            : FakeResponse.Problem(503, "urn:keel:problem:not-ready", "Not ready", "upstream tau-airline is not connected"));
        using var http = server.CreateHttpClient();
        var client = new KeelGatewayClient(http, Key);

        (await client.GetHealthAsync(Token)).ShouldBe("healthy");
        (await client.IsReadyAsync(Token)).ShouldBeFalse();
        server.Requests.ShouldAllBe(r => r.Header("Authorization") == null);
    }

    [Fact]
    public async Task ListToolsAsync_NothingListens_ThrowsHttpRequestException()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{FakeKeelServer.FreePort()}/") };
        var client = new KeelGatewayClient(http, Key);

        await Should.ThrowAsync<HttpRequestException>(() => client.ListToolsAsync(Token));
    }

    [Fact]
    public void Constructor_ClientWithoutBaseAddressOrEmptyKey_Throws()
    {
        using var noBase = new HttpClient();
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5080/") };

        Should.Throw<ArgumentException>(() => new KeelGatewayClient(noBase, Key)).ParamName.ShouldBe("httpClient");
        Should.Throw<ArgumentException>(() => new KeelGatewayClient(http, " ")).ParamName.ShouldBe("apiKey");
        Should.Throw<ArgumentException>(() => new KeelGatewayClient(http, "keel_a\nb")).ParamName.ShouldBe("apiKey");
    }
}
