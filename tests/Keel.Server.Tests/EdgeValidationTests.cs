using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keel.Budgets;
using Keel.Storage;
using Keel.Model;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests;

/// <summary>The inputs the attacker-style fuzz answered with 500s (docs/robustness.md), each now a 4xx problem naming the field, or
/// a decision, and storing nothing.</summary>
public sealed class EdgeValidationTests
{
    public static TheoryData<string, string> LoneSurrogateToolCalls => new()
    {
        { """{"id":"c\ud800","name":"get_order","arguments":{}}""", "$.id" },
        { """{"id":"c1","name":"get_order","arguments":{"order_id":"\ud800"}}""", "$.arguments.order_id" },
        { """{"id":"c1","name":"get_order","arguments":{"order_id":"A\udc00B"}}""", "$.arguments.order_id" },
        { """{"id":"c1","name":"get_order","arguments":{"order_id":"\ud83d\ud83d"}}""", "$.arguments.order_id" },
        { """{"id":"c1","name":"get_order","arguments":{"\ud800":"A1"}}""", "$.arguments['\\ud800']" },
        { """{"id":"c1","name":"get_order","arguments":{"items":[1,"\ud800"]}}""", "$.arguments.items[1]" },
        { """{"id":"c1","name":"get_order","arguments":"{\"order_id\":\"\\ud800\"}"}""", "$.arguments.order_id" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateToolCalls))]
    public async Task ToolCall_WithALoneSurrogateEscape_Is400NamingThePathAndStoresNothing(string body, string path)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([path]);
        (await EventCountAsync(gateway, run)).ShouldBe(0);
        gateway.Upstream.Total.ShouldBe(0);
    }

    [Fact]
    public async Task ToolCall_WithAPairedSurrogateEscape_IsDecided()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", Json("""{"id":"c\ud83d\ude00","name":"get_order","arguments":{"order_id":"A\ud83d\ude00"}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString().ShouldBe("c\U0001F600");
    }

    public static TheoryData<string, string, string> LoneSurrogateBodies => new()
    {
        { "agent", "/v1/runs", """{"id":"run-\ud800"}""" },
        { "agent", "/v1/runs/{run}/messages", """{"role":"user","content":"hi \udfff"}""" },
        { "agent", "/v1/runs/{run}/close", """{"status":"\ud800"}""" },
        { "admin", "/v1/keys", """{"name":"\ud800","role":"operator"}""" },
        { "admin", "/v1/approvals/apr_x/approve", """{"note":"\ud800"}""" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateBodies))]
    public async Task AnyBody_WithALoneSurrogateEscape_Is400NamingTheField(string role, string path, string body)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync("r1");
        var client = role == "agent" ? agent : gateway.Admin;

        var response = await client.PostAsync(path.Replace("{run}", run, StringComparison.Ordinal), Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        problem.GetProperty("errors").EnumerateObject().Single().Name.ShouldStartWith("$.");
        (await EventCountAsync(gateway, run)).ShouldBe(0);
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs")).GetProperty("runs").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ToolCall_WithInvalidUtf8_Is400AndStoresNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        byte[] body = [.. """{"id":"c1","name":"get_order","arguments":{"order_id":"A"""u8, 0xff, .. "\"}}"u8];

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        problem.GetProperty("errors").TryGetProperty("$.arguments.order_id", out _).ShouldBeTrue();
        (await EventCountAsync(gateway, run)).ShouldBe(0);
    }

    [Fact]
    public async Task ToolCall_NestedDeeperThan64Levels_Is400NamingWhereAndStoresNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var deep = new string('[', 70) + new string(']', 70);

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", Json($$$"""{"id":"c1","name":"get_order","arguments":{"order_id":{{{deep}}}}}"""));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        problem.GetProperty("errors").EnumerateObject().Single().Name.ShouldStartWith("$.arguments.order_id[0]");
        (await EventCountAsync(gateway, run)).ShouldBe(0);
    }

    [Theory]
    [InlineData("123456789012345678901234567890", "$.amount")]
    [InlineData("-9223372036854775809", "$.amount")]
    [InlineData("18446744073709551616", "$.amount")]
    public async Task ToolCall_WithAnIntegerBeyondInt64_IsDeniedNamingThePath(string amount, string path)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", Json($$$"""{"id":"c1","name":"refund_order","arguments":{"order_id":"A1","amount":{{{amount}}}}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
        outcome.DecisionKind().ShouldBe("deny");
        outcome.GetProperty("decision").GetProperty("rule_id").GetString().ShouldBe("schema.invalid");
        outcome.GetProperty("decision").GetProperty("reason").GetString()!.ShouldContain(path);
        gateway.Upstream.Total.ShouldBe(0);
        (await EventCountAsync(gateway, run)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ToolCall_WithAnAmountBeyondDouble_NeedsApprovalUnderTheThresholdRule()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var outcome = await agent.ProposeOkAsync(run, "c1", "refund_order", JsonDocument.Parse("""{"order_id":"A1","amount":1e400}""").RootElement);

        outcome.DecisionKind().ShouldBe("require_approval");
        gateway.Upstream.Total.ShouldBe(0);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("9223372036854775808")]
    [InlineData("1&after=2")]
    public async Task Events_WithABadCursor_Is400NamingAfter(string after)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.GetAsync($"/v1/runs/{run}/events?after={after}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        problem.GetProperty("errors").TryGetProperty("query:after", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/v1/runs", "0")]
    [InlineData("/v1/runs", "abc")]
    [InlineData("/v1/runs", "1001")]
    [InlineData("/v1/approvals", "-5")]
    [InlineData("/v1/approvals", "abc")]
    [InlineData("/v1/access-log", "99999999999999999999")]
    public async Task List_WithABadLimit_Is400NamingLimit(string path, string limit)
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Admin.GetAsync($"{path}?limit={limit}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        problem.GetProperty("errors").TryGetProperty("query:limit", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"window_seconds":60,"max_tokens":99999999999999999999}""", "$.max_tokens", "malformed-request")]
    [InlineData("""{"window_seconds":60,"max_steps":3000000000}""", "$.max_steps", "malformed-request")]
    [InlineData("""{"window_seconds":60,"max_cost_usd":1e300}""", "$.max_cost_usd", "malformed-request")]
    [InlineData("""{"window_seconds":60,"max_cost_usd":9999999999999}""", "$.max_cost_usd", "invalid-request")]
    [InlineData("""{"window_seconds":99999999999999}""", "$.window_seconds", "invalid-request")]
    [InlineData("""{"window_seconds":60,"max_tool_calls":-1}""", "$.max_tool_calls", "invalid-request")]
    [InlineData("""{"window_seconds":true}""", "$.window_seconds", "malformed-request")]
    public async Task PutBudget_OutOfRange_Is400NamingTheFieldAndKeepsTheBudget(string body, string path, string problemName)
    {
        await using var gateway = await new TestGateway().StartAsync();
        (await gateway.Admin.PutAsJsonAsync("/v1/workspace/budget", new { window_seconds = 3600, max_tokens = 1000 })).EnsureSuccessStatusCode();

        var response = await gateway.Admin.PutAsync("/v1/workspace/budget", Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, problemName);
        problem.GetProperty("errors").TryGetProperty(path, out _).ShouldBeTrue(problem.ToString());
        var budget = await gateway.Services.GetRequiredService<IWorkspaceStore>().GetWorkspaceBudgetAsync(Workspace.Default.Id);
        budget.ShouldBe(new WorkspaceBudget(TimeSpan.FromHours(1), new BudgetLimits(null, null, 1000, null)));
    }

    [Theory]
    [InlineData("""{"tokens":99999999999999999999,"cost_usd":0}""", "$.usage.tokens")]
    [InlineData("""{"tokens":9223372036854775807,"cost_usd":0}""", "$.usage.tokens")]
    [InlineData("""{"tokens":-1,"cost_usd":0}""", "$.usage.tokens")]
    [InlineData("""{"tokens":1,"cost_usd":79228162514264337593543950335}""", "$.usage.cost_usd")]
    [InlineData("""{"tokens":1,"cost_usd":1e300}""", "$.usage.cost_usd")]
    [InlineData("""{"tokens":"many","cost_usd":0}""", "$.usage.tokens")]
    public async Task Message_WithUsageOutOfRange_Is400NamingTheFieldAndStoresNothing(string usage, string path)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/messages", Json($$"""{"role":"assistant","content":"done","usage":{{usage}}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(path, out _).ShouldBeTrue();
        (await EventCountAsync(gateway, run)).ShouldBe(0);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=utf-16")]
    public async Task ToolCall_WithANonJsonContentType_Is415ProblemAndStoresNothing(string contentType)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var content = new ByteArrayContent("""{"id":"c1","name":"get_order","arguments":{"order_id":"A1"}}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", content);

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        (await EventCountAsync(gateway, run)).ShouldBe(0);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/JSON")]
    [InlineData("application/vnd.keel+json")]
    public async Task PutBudget_WithAnotherSpellingOfJson_IsRead(string contentType)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var content = new ByteArrayContent("""{"window_seconds":60,"max_tool_calls":5}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await gateway.Admin.PutAsync("/v1/workspace/budget", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await gateway.Services.GetRequiredService<IWorkspaceStore>().GetWorkspaceBudgetAsync(Workspace.Default.Id))!.Limits.MaxToolCalls.ShouldBe(5);
    }

    [Fact]
    public async Task Body_OverMaxRequestBodyBytes_Is413ProblemAndStoresNothing()
    {
        await using var gateway = await new TestGateway(o => o.MaxRequestBodyBytes = 4096).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = new string('x', 5000) });

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        (await EventCountAsync(gateway, run)).ShouldBe(0);
    }

    [Fact]
    public async Task Route_WithAMethodItLacks_Is405KeelProblemWithADetail()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Admin.PutAsync("/v1/tools", Json("{}"));

        var problem = await ProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        problem.GetProperty("detail").GetString()!.ShouldContain("PUT");
    }

    [Fact]
    public async Task ToolCall_WithANegativeParallelIndex_Is400NamingIt()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", Json("""{"id":"c1","name":"get_order","arguments":{"order_id":"A1"},"parallel_index":-1}"""));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        problem.GetProperty("errors").TryGetProperty("$.parallel_index", out _).ShouldBeTrue();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("type").GetString().ShouldBe($"urn:keel:problem:{name}");
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    private static async Task<long> EventCountAsync(TestGateway gateway, string run) =>
        await gateway.Services.GetRequiredService<ILiveRunStore>().GetHeadSequenceAsync(Workspace.Default.Id, run) ?? -1;
}
