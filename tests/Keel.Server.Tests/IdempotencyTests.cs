using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keel.Execution;
using Keel.Gateway;
using Keel.Model;
using Keel.Server.Idempotency;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task ToolCall_RetriedWithTheSameKey_ExecutesTheWriteOnceAndAnswersTheSame()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var first = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "refund-A1-1");
        var retry = await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "refund-A1-1");

        gateway.Upstream.Count("refund_order").ShouldBe(1);
        retry.StatusCode.ShouldBe(first.StatusCode);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        var events = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events");
        events.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "tool_call").ShouldBe(1);
    }

    [Fact]
    public async Task ToolCall_WithoutAKey_UsesTheCallIdAsTheKey()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await agent.ProposeOkAsync(run, "call_9", "refund_order", new { order_id = "A1", amount = 20 });
        await agent.ProposeOkAsync(run, "call_9", "refund_order", new { order_id = "A1", amount = 20 });
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task Key_ReusedForAnotherRequest_Is422AndExecutesNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.ProposeAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 20 }, idempotencyKey: "k")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reused = await agent.ProposeAsync(run, "c2", "refund_order", new { order_id = "A2", amount = 30 }, idempotencyKey: "k");
        reused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        reused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task OpenRun_RetriedWithTheSameKey_OpensOneRun()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        async Task<string> OpenAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = JsonContent.Create(new { channel = "web" }) };
            request.Headers.Add("Idempotency-Key", "open-1");
            var response = await agent.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        (await OpenAsync()).ShouldBe(await OpenAsync());
        var runs = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs");
        runs.GetProperty("runs").GetArrayLength().ShouldBe(1);
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "text/plain", """{"id":"c1","name":"get_order","arguments":{"order_id":"A1"}}""" },
        { "application/json", """{"id":"c1","name":"get_order","arguments":{"order_id":"\ud800"}}""" },
        { "application/json", """{"id":"c1","name":"get_order","arguments":[1]}""" },
        { "application/json", """{"id":"c1","name":"get_order","arguments":{},"parallel_index":99999999999}""" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Key_AfterARejectedRequest_IsReleasedSoTheCorrectedRequestRuns(string contentType, string rejected)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var first = await SendAsync(agent, $"/v1/runs/{run}/tool-calls", "fix-1", contentType, rejected);
        var corrected = await SendAsync(agent, $"/v1/runs/{run}/tool-calls", "fix-1", "application/json", """{"id":"c1","name":"get_order","arguments":{"order_id":"A1"}}""");

        ((int)first.StatusCode).ShouldBeInRange(400, 499);
        corrected.StatusCode.ShouldBe(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        corrected.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        gateway.Upstream.Count("get_order").ShouldBe(1);
    }

    [Fact]
    public async Task Key_AfterA404_IsNotStoredSoTheRetryRunsOnceTheRunExists()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        const string Body = """{"id":"c1","name":"get_order","arguments":{"order_id":"A1"}}""";

        var missing = await SendAsync(agent, "/v1/runs/later/tool-calls", "k-404", "application/json", Body);
        await agent.OpenRunAsync("later");
        var retry = await SendAsync(agent, "/v1/runs/later/tool-calls", "k-404", "application/json", Body);

        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        gateway.Upstream.Count("get_order").ShouldBe(1);
    }

    [Fact]
    public async Task Key_AfterA403_IsNotStored()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var operatorClient = await gateway.NewClientAsync("operator");

        var first = await SendAsync(operatorClient, $"/v1/runs/{run}/close", "k-403", "application/json", "{}");
        var retry = await SendAsync(operatorClient, $"/v1/runs/{run}/close", "k-403", "application/json", "{}");

        first.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        retry.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        retry.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    public void IsStored_A2xx_IsTrue(int status) => IdempotencyMiddleware.IsStored(status).ShouldBeTrue();

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(422)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void IsStored_ARejectionOrFailure_IsFalse(int status) => IdempotencyMiddleware.IsStored(status).ShouldBeFalse();

    [Fact]
    public void IdempotencyStaleAfter_WithTheDefaults_Is111Point2Seconds()
    {
        var options = new KeelServerOptions();
        options.Agents.Add(TestGateway.RefundDesk);

        options.LongestToolCall.ShouldBe(TimeSpan.FromMilliseconds(40_600));
        options.IdempotencyStaleAfter.ShouldBe(TimeSpan.FromMilliseconds(111_200));
    }

    [Fact]
    public void IdempotencyStaleAfter_FollowsTheSlowestAgentsExecutionSettings()
    {
        var options = new KeelServerOptions { Execution = new ExecutionOptions { AttemptTimeout = TimeSpan.FromSeconds(2), MaxRetries = 0 } };
        options.Agents.Add(TestGateway.RefundDesk with { Execution = new ExecutionOptions { AttemptTimeout = TimeSpan.FromSeconds(5), MaxRetries = 1, BaseDelay = TimeSpan.FromSeconds(1) } });

        // The agent's settings: 2 attempts of 5 s + 1 s backoff, plus one 5 s preview = 16 s; 2 x 16 s + 30 s.
        options.LongestToolCall.ShouldBe(TimeSpan.FromSeconds(16));
        options.IdempotencyStaleAfter.ShouldBe(TimeSpan.FromSeconds(62));
    }

    [Fact]
    public async Task Claim_LeftUnfinishedByACrashedProcess_IsTakenOverAfterIdempotencyStaleAfterAndNotBefore()
    {
        var execution = new ExecutionOptions { AttemptTimeout = TimeSpan.FromSeconds(3), MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(500) };
        await using var gateway = await new TestGateway(o => o.Execution = execution).StartAsync();
        var (keyId, agent) = await gateway.NewKeyAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var path = $"/v1/runs/{run}/tool-calls";
        const string Body = """{"id":"c1","name":"refund_order","arguments":{"order_id":"A1","amount":20}}""";
        var staleAfter = gateway.Services.GetRequiredService<KeelServerOptions>().IdempotencyStaleAfter;
        staleAfter.ShouldBe(TimeSpan.FromSeconds(2 * (3 + 3 + 0.5 + 3) + 30));

        // A process claims the key and crashes before it answers: the claim stays, unfinished.
        var store = gateway.Services.GetRequiredService<IIdempotencyStore>();
        var claim = await store.ClaimAsync("default", keyId, "crash-1", IdempotencyMiddleware.RequestHash("POST", path, Encoding.UTF8.GetBytes(Body)), staleAfter);
        claim.State.ShouldBe(IdempotencyState.New);

        gateway.Time.Advance(staleAfter - TimeSpan.FromSeconds(1));
        var early = await SendAsync(agent, path, "crash-1", "application/json", Body);
        gateway.Time.Advance(TimeSpan.FromSeconds(1));
        var due = await SendAsync(agent, path, "crash-1", "application/json", Body);

        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:idempotency-key-in-flight");
        due.StatusCode.ShouldBe(HttpStatusCode.OK, await due.Content.ReadAsStringAsync());
        gateway.Upstream.Count("refund_order").ShouldBe(1);
    }

    [Fact]
    public async Task ToolCall_WaitingLongerThanLongestToolCallForItsRun_Is409RunBusyAndNotStored()
    {
        var upstream = new GatedExecutor();
        var fast = new ExecutionOptions { AttemptTimeout = TimeSpan.FromMilliseconds(10), MaxRetries = 0, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };
        await using var gateway = await new TestGateway(o => { o.Execution = fast; o.Executor = upstream; }).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        // close_account needs a plan: its preview tool is called directly (no attempt timeout) and here it hangs.
        var first = agent.ProposeAsync(run, "c1", "close_account", new { user_id = "U1" });
        await upstream.Entered.Task;
        HttpResponseMessage second;
        try
        {
            // A guard so that a server that waits for the lock forever fails the test instead of hanging it.
            second = await agent.ProposeAsync(run, "c2", "get_order", new { order_id = "A2" }, idempotencyKey: "busy-1").WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            upstream.Release.TrySetResult();
            await first;
        }

        var retry = await agent.ProposeAsync(run, "c2", "get_order", new { order_id = "A2" }, idempotencyKey: "busy-1");

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:run-busy");
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key, string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>An upstream whose first call blocks (ignoring cancellation, as a stuck tool server does) until the test releases it;
    /// later calls answer at once.</summary>
    private sealed class GatedExecutor : IToolExecutor
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.SetResult();
                await Release.Task;
            }

            return new ToolResult(context.Call.Id, ToolResultStatus.Ok, "{}");
        }
    }
}
