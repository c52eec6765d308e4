using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class ProblemTests
{
    public static TheoryData<string, string> MalformedToolCalls => new()
    {
        { "{not json", "malformed-request" },
        { "[1,2]", "malformed-request" },
        { "{\"name\":\"get_order\",\"arguments\":{}}", "invalid-request" },
        { "{\"id\":\"c1\",\"arguments\":{}}", "invalid-request" },
        { "{\"id\":\"c1\",\"name\":\"get_order\",\"arguments\":[1]}", "invalid-request" },
    };

    [Theory]
    [MemberData(nameof(MalformedToolCalls))]
    public async Task ToolCall_Malformed_IsAProblemAndStoresNothing(string body, string problem)
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var response = await agent.PostAsync($"/v1/runs/{run}/tool-calls", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var details = await response.Content.ReadFromJsonAsync<JsonElement>();
        details.GetProperty("type").GetString().ShouldBe($"urn:keel:problem:{problem}");
        details.GetProperty("status").GetInt32().ShouldBe(400);
        var events = await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events");
        events.GetProperty("events").GetArrayLength().ShouldBe(0);
        gateway.Upstream.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Message_WithAnUnknownRole_NamesTheField()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        var response = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "robot", content = "x" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var details = await response.Content.ReadFromJsonAsync<JsonElement>();
        details.GetProperty("errors").TryGetProperty("$.role", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task OpenRun_WithAnIdThatCannotBeAddressed_NamesTheFieldAndOpensNothing()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var response = await agent.PostAsJsonAsync("/v1/runs", new { id = "team/run-1" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("$.id", out _).ShouldBeTrue();
        (await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/runs")).GetProperty("runs").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblem()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var response = await gateway.Admin.GetAsync("/v1/nothing-here");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
