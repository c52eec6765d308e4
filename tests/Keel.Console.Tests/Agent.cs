using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Console.Tests;

/// <summary>An agent talking to the gateway's HTTP API with its key.</summary>
internal sealed class Agent(HttpClient client) : IDisposable
{
    public async Task<string> OpenRunAsync(string id)
    {
        var response = await client.PostAsJsonAsync("/v1/runs", new { id, channel = "web" }, ConsoleServer.Json);
        response.EnsureSuccessStatusCode();
        return id;
    }

    public async Task MessageAsync(string run, string role, string content) =>
        (await client.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role, content }, ConsoleServer.Json)).EnsureSuccessStatusCode();

    /// <summary>Posts the agent's reply; the answer says <c>deliver</c> or <c>held</c> (docs/intervention.md).</summary>
    public async Task<JsonElement> ReplyAsync(string run, string content)
    {
        var response = await client.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content }, ConsoleServer.Json);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The host's long-poll: the deliveries after <paramref name="after"/>, waiting up to <paramref name="wait"/> seconds.</summary>
    public async Task<JsonElement[]> DeliveriesAsync(string run, long after, int wait)
    {
        var response = await client.GetAsync($"/v1/runs/{run}/deliveries?after={after}&wait={wait}");
        response.EnsureSuccessStatusCode();
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveries").EnumerateArray()];
    }

    public async Task<JsonElement> ProposeAsync(string run, string callId, string tool, object arguments)
    {
        var response = await client.PostAsJsonAsync($"/v1/runs/{run}/tool-calls", new { id = callId, name = tool, arguments }, ConsoleServer.Json);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public void Dispose() => client.Dispose();
}

internal static class OutcomeExtensions
{
    public static string DecisionKind(this JsonElement outcome) => outcome.GetProperty("decision").GetProperty("kind").GetString()!;
}
