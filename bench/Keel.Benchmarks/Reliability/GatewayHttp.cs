using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Benchmarks.Reliability;

/// <summary>The few calls of the gateway API (docs/gateway-api.md) the reliability drivers make, as raw HTTP with JSON bodies.</summary>
internal static class GatewayHttp
{
    /// <summary>A client for <paramref name="address"/> sending <paramref name="key"/>.</summary>
    public static HttpClient Client(Uri address, string key)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>Creates an agent key with the admin client; returns the key text.</summary>
    public static async Task<string> CreateAgentKeyAsync(HttpClient admin, string agent, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsync("/v1/keys", Body(new JsonObject { ["name"] = "reliability-" + Guid.NewGuid().ToString("N"), ["role"] = "agent", ["agent"] = agent }), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!["key"]!.GetValue<string>()
            : throw new InvalidOperationException($"key creation answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>Opens a run with the given id.</summary>
    public static Task<HttpResponseMessage> OpenRunAsync(HttpClient agent, string runId, CancellationToken cancellationToken) =>
        agent.PostAsync("/v1/runs", Body(new JsonObject { ["id"] = runId }), cancellationToken);

    /// <summary>Proposes a tool call, with an <c>Idempotency-Key</c> when one is given.</summary>
    public static async Task<HttpResponseMessage> ProposeAsync(HttpClient agent, string runId, string callId, string tool, JsonObject arguments, string? key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{Uri.EscapeDataString(runId)}/tool-calls")
        {
            Content = Body(new JsonObject { ["id"] = callId, ["name"] = tool, ["arguments"] = arguments.DeepClone() }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await agent.SendAsync(request, cancellationToken);
    }

    /// <summary>The answer read: status, problem type (for problems), the body.</summary>
    public static async Task<Answer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        var type = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new Answer((int)response.StatusCode, type?.Replace("urn:keel:problem:", string.Empty, StringComparison.Ordinal), body,
            response.Headers.Contains("Idempotent-Replayed"));
    }

    private static StringContent Body(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

/// <summary>An answer of the gateway.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Problem">The problem's name (<c>store-unavailable</c>, <c>executed-not-recorded</c>, …), or <see langword="null"/>.</param>
/// <param name="Body">The JSON body (default when not JSON).</param>
/// <param name="Replayed">Whether it carried <c>Idempotent-Replayed</c>.</param>
internal sealed record Answer(int Status, string? Problem, JsonElement Body, bool Replayed)
{
    /// <summary>Whether it is a 2xx.</summary>
    public bool Ok => Status is >= 200 and <= 299;

    /// <summary>The decision kind of a tool call's answer (200), or of an <c>executed-not-recorded</c> problem's outcome.</summary>
    public string? DecisionKind => Outcome is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("decision", out var d) ? d.GetProperty("kind").GetString() : null;

    /// <summary>The tool call's outcome: the body of a 200, the <c>outcome</c> of an <c>executed-not-recorded</c>.</summary>
    public JsonElement? Outcome => Ok ? Body : Problem == "executed-not-recorded" && Body.TryGetProperty("outcome", out var o) ? o : null;
}
