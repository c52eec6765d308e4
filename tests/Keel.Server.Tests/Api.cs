using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests;

/// <summary>Calls of the runs API as an agent makes them.</summary>
internal static class Api
{
    public static async Task<string> OpenRunAsync(this HttpClient agent, string? id = null)
    {
        var response = await agent.PostAsJsonAsync("/v1/runs", new { id }, TestGateway.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> ProposeAsync(this HttpClient agent, string runId, string callId, string tool, object arguments, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{runId}/tool-calls")
        {
            Content = JsonContent.Create(new { id = callId, name = tool, arguments }, options: TestGateway.Json),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return agent.SendAsync(request);
    }

    public static async Task<JsonElement> ProposeOkAsync(this HttpClient agent, string runId, string callId, string tool, object arguments)
    {
        var response = await agent.ProposeAsync(runId, callId, tool, arguments);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string DecisionKind(this JsonElement outcome) => outcome.GetProperty("decision").GetProperty("kind").GetString()!;

    public static string ApprovalId(this JsonElement outcome) => outcome.GetProperty("approval").GetProperty("id").GetString()!;

    public static Task<HttpResponseMessage> DecideAsync(this HttpClient operatorClient, string approvalId, bool approve, string? note = null) =>
        operatorClient.PostAsJsonAsync($"/v1/approvals/{approvalId}/{(approve ? "approve" : "deny")}", new { note }, TestGateway.Json);
}
