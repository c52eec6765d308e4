using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Sdk.Api;

namespace Keel.Sdk.Tests;

/// <summary>The typed client's routes and bodies checked against the server's OpenAPI document (<c>/openapi/v1.json</c>), so the
/// one definition of the wire contract (<c>Keel.Sdk.Api</c>, which the server answers with) reads the same under both serializers.</summary>
public sealed class OpenApiContractTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    /// <summary>Every request the client sends: method, path template, request body type, answer body type.</summary>
    public static TheoryData<string, string, Type?, Type?> Routes => new()
    {
        { "get", "/health", null, typeof(HealthStatus) },
        { "get", "/ready", null, typeof(HealthStatus) },
        { "post", "/v1/runs", typeof(CreateRunRequest), typeof(ApiRun) },
        { "get", "/v1/runs", null, typeof(RunList) },
        { "get", "/v1/runs/{runId}", null, typeof(ApiRun) },
        { "get", "/v1/runs/{runId}/events", null, typeof(EventList) },
        { "post", "/v1/runs/{runId}/messages", typeof(AppendMessageRequest), typeof(AppendMessageResponse) },
        { "post", "/v1/runs/{runId}/tool-calls", typeof(ApiToolCall), typeof(ApiToolCallOutcome) },
        { "post", "/v1/runs/{runId}/tool-calls/{callId}/result", typeof(ApiToolResultReport), typeof(ApiToolResultRecorded) },
        { "post", "/v1/runs/{runId}/close", typeof(CloseRunRequest), typeof(ApiRun) },
        { "get", "/v1/tools", null, typeof(ToolList) },
        { "get", "/v1/approvals", null, typeof(ApprovalList) },
        { "get", "/v1/approvals/{approvalId}", null, typeof(ApiApproval) },
        { "post", "/v1/approvals/{approvalId}/approve", typeof(ApprovalNoteRequest), typeof(ApiApproval) },
        { "post", "/v1/approvals/{approvalId}/deny", typeof(ApprovalNoteRequest), typeof(ApiApproval) },
        { "post", "/v1/keys", typeof(CreateKeyRequest), typeof(ApiNewKey) },
        { "get", "/v1/keys", null, typeof(KeyList) },
        { "post", "/v1/runs/{runId}/pause", typeof(InterventionRequest), typeof(ApiIntervention) },
        { "post", "/v1/runs/{runId}/takeover", typeof(InterventionRequest), typeof(ApiIntervention) },
        { "post", "/v1/runs/{runId}/release", typeof(InterventionRequest), typeof(ApiIntervention) },
        { "post", "/v1/runs/{runId}/operator-messages", typeof(OperatorMessageRequest), typeof(OperatorMessageResponse) },
        { "get", "/v1/runs/{runId}/interventions", null, typeof(HeldReplyList) },
        { "post", "/v1/runs/{runId}/interventions/{interventionId}/decision", typeof(ReplyDecisionRequest), typeof(ApiHeldReply) },
        { "get", "/v1/runs/{runId}/deliveries", null, typeof(ApiDeliveryList) },
    };

    /// <summary>Answers the server's document does not describe yet (their endpoints return untyped results; docs/sdk.md). Only
    /// their routes are checked. A ratchet: once the server documents one, the test fails until it is removed from here and its
    /// body is checked.</summary>
    private static readonly HashSet<string> UndocumentedAnswers =
    [
        "get /ready", "post /v1/runs", "get /v1/runs", "get /v1/runs/{runId}", "get /v1/runs/{runId}/events",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_ClientBodies_MatchServerOpenApiDocument(string method, string path, Type? requestType, Type? responseType)
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));
        var root = document.RootElement;
        root.GetProperty("paths").TryGetProperty(path, out var item).ShouldBeTrue($"the server's OpenAPI document has no path {path}");
        item.TryGetProperty(method, out var operation).ShouldBeTrue($"the server's OpenAPI document has no {method.ToUpperInvariant()} {path}");

        var problems = new List<string>();
        if (requestType is not null)
        {
            var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Compare(root, TypeInfo(requestType), body, $"{method} {path} request", problems);
        }

        if (responseType is not null)
        {
            var response = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2')).Value;
            var documented = response.TryGetProperty("content", out var content);
            documented.ShouldBe(!UndocumentedAnswers.Contains($"{method} {path}"),
                documented ? $"{method} {path}: the server now documents its answer; remove it from UndocumentedAnswers" : $"{method} {path}: the document gives no schema for the answer");
            if (documented)
            {
                Compare(root, TypeInfo(responseType), content.GetProperty("application/json").GetProperty("schema"), $"{method} {path} answer", problems);
            }
        }

        problems.ShouldBeEmpty();
    }

    private static JsonTypeInfo TypeInfo(Type type) => KeelApiJsonContext.Default.GetTypeInfo(type)!;

    /// <summary>The client's properties and the server schema's must be the same names, recursively through nested bodies.</summary>
    private static void Compare(JsonElement root, JsonTypeInfo client, JsonElement schema, string where, List<string> problems)
    {
        schema = Resolve(root, schema);
        if (client.Kind == JsonTypeInfoKind.Enumerable)
        {
            if (schema.TryGetProperty("items", out var items) && client.ElementType is { } element && IsContract(element))
            {
                Compare(root, TypeInfo(element), items, where + "[]", problems);
            }

            return;
        }

        if (client.Kind != JsonTypeInfoKind.Object || !schema.TryGetProperty("properties", out var properties))
        {
            return;
        }

        var names = client.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var serverProperty in properties.EnumerateObject().Where(p => !names.Contains(p.Name)))
        {
            problems.Add($"{where}: the server's schema has '{serverProperty.Name}', the client ({client.Type.Name}) does not");
        }

        foreach (var property in client.Properties)
        {
            if (!properties.TryGetProperty(property.Name, out var serverProperty))
            {
                problems.Add($"{where}: the client has '{property.Name}' ({client.Type.Name}), the server's schema does not");
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsContract(type) || (type.IsGenericType && type.GetGenericArguments() is [var argument] && IsContract(argument)))
            {
                Compare(root, TypeInfo(type), serverProperty, $"{where}.{property.Name}", problems);
            }
        }
    }

    private static bool IsContract(Type type) => type.Namespace == typeof(ApiRun).Namespace && type.IsClass;

    /// <summary>Follows <c>$ref</c> and skips the null branch of a nullable schema (<c>oneOf</c>/<c>anyOf</c>).</summary>
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        for (var i = 0; i < 8; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if ((schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices))
                && choices.EnumerateArray().FirstOrDefault(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } choice)
            {
                schema = choice;
            }
            else
            {
                break;
            }
        }

        return schema;
    }
}
