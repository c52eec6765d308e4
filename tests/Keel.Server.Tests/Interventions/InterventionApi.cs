using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests.Interventions;

/// <summary>Calls of the intervention API as an agent's host and an operator make them.</summary>
internal static class InterventionApi
{
    public static async Task<JsonElement> ReplyAsync(this HttpClient agent, string runId, string content, string? channel = null)
    {
        var response = await agent.PostAsJsonAsync($"/v1/runs/{runId}/messages", new { role = "assistant", content, channel }, TestGateway.Json);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> InterveneAsync(this HttpClient operatorClient, string runId, string action, string? note = null) =>
        operatorClient.PostAsJsonAsync($"/v1/runs/{runId}/{action}", new { note }, TestGateway.Json);

    public static async Task<JsonElement> InterveneOkAsync(this HttpClient operatorClient, string runId, string action)
    {
        var response = await operatorClient.InterveneAsync(runId, action);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> DecideReplyAsync(this HttpClient operatorClient, string runId, string interventionId, string decision, string? content = null) =>
        operatorClient.PostAsJsonAsync($"/v1/runs/{runId}/interventions/{interventionId}/decision", new { decision, content }, TestGateway.Json);

    public static async Task<JsonElement> DeliveriesAsync(this HttpClient client, string runId, long after = 0, int wait = 0) =>
        await client.GetFromJsonAsync<JsonElement>($"/v1/runs/{runId}/deliveries?after={after}&wait={wait}");

    public static JsonElement[] Items(this JsonElement list) => [.. list.GetProperty("deliveries").EnumerateArray()];

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static async Task<JsonElement[]> EventsAsync(this HttpClient client, string runId) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/v1/runs/{runId}/events")).GetProperty("events").EnumerateArray()];
}
