using System.Text.Json;

namespace Keel.Mcp.Tests.Fakes;

/// <summary>Canned docs/gateway-api.md answers for an airline agent key: one outcome per tool name.</summary>
internal sealed class FakeGatewayApi
{
    public const string Key = "keel_agent1_s3cret";

    private int _runs;
    private int _unavailableAnswersLeft;

    /// <summary>The next this-many tool-call requests are answered 503.</summary>
    public int UnavailableAnswers
    {
        set => Volatile.Write(ref _unavailableAnswersLeft, value);
    }

    public FakeResponse Respond(RecordedRequest request)
    {
        if (request.Header("Authorization") != $"Bearer {Key}")
        {
            return FakeResponse.Problem(401, "urn:keel:problem:unauthorized", "Unauthorized", "unknown or revoked key");
        }

        var path = request.PathAndQuery;
        return (request.Method, path) switch
        {
            ("GET", "/v1/tools") => FakeResponse.Json(200, """
                {"tools": [
                  {"name": "get_reservation_details", "description": "Get the details of a reservation.", "input_schema": {"type": "object", "properties": {"reservation_id": {"type": "string"}}, "required": ["reservation_id"]}},
                  {"name": "cancel_reservation", "description": "Cancel the whole reservation.", "input_schema": {"type": "object", "properties": {"reservation_id": {"type": "string"}}, "required": ["reservation_id"]}}
                ]}
                """),
            ("POST", "/v1/runs") => FakeResponse.Json(201, Run($"run_{Interlocked.Increment(ref _runs)}", "active")),
            ("POST", _) when path.EndsWith("/close", StringComparison.Ordinal) => FakeResponse.Json(200, Run(path.Split('/')[3], "completed")),
            ("POST", _) when path.EndsWith("/tool-calls", StringComparison.Ordinal) => ToolCall(request),
            _ => FakeResponse.Problem(404, "urn:keel:problem:not-found", "Not Found", $"no route {request.Method} {path}"),
        };
    }

    private FakeResponse ToolCall(RecordedRequest request)
    {
        if (Interlocked.Decrement(ref _unavailableAnswersLeft) >= 0)
        {
            return FakeResponse.Problem(503, "urn:keel:problem:unavailable", "Service Unavailable", "the store is busy");
        }

        using var body = JsonDocument.Parse(request.Body);
        var id = body.RootElement.GetProperty("id").GetString();
        var arguments = body.RootElement.GetProperty("arguments");
        var allow = """{"kind": "allow", "stage": "pipeline", "rule_id": null, "policy_version": null, "reason": "allowed"}""";
        return body.RootElement.GetProperty("name").GetString() switch
        {
            "get_reservation_details" => Outcome(id, allow, $$"""{"status": "success", "output": {{JsonSerializer.Serialize($"{{\"reservation_id\": \"{arguments.GetProperty("reservation_id").GetString()}\", \"status\": \"confirmed\"}}")}}}"""),
            "send_certificate" => Outcome(id, allow, """{"status": "error", "output": "Error: certificate amount too large"}"""),
            "cancel_reservation" => Outcome(id,
                """{"kind": "deny", "stage": "policy", "rule_id": "cancel-needs-confirmation", "policy_version": "4", "reason": "the user has not confirmed the cancellation"}""",
                """{"status": "not_executed", "output": ""}"""),
            "transfer_to_human_agents" => Outcome(id,
                """{"kind": "escalate", "stage": "loop_guard", "rule_id": null, "policy_version": null, "reason": "the same call failed 3 times"}""",
                """{"status": "not_executed", "output": ""}"""),
            "update_reservation_baggages" => Outcome(id,
                """{"kind": "require_approval", "stage": "approval_gate", "rule_id": "bags-over-3", "policy_version": "4", "reason": "more than 3 bags need a person"}""",
                """{"status": "not_executed", "output": ""}""",
                """, "approval": {"id": "apr_42", "status": "pending", "expires_at": "2025-03-01T11:30:00+00:00", "digest": "sha256:aa"}"""),
            "update_reservation_flights" => Outcome(id,
                """{"kind": "require_plan", "stage": "plan_gate", "rule_id": "changes-need-plan", "policy_version": "4", "reason": "flight changes are reviewed first"}""",
                """{"status": "not_executed", "output": ""}""",
                """, "plan": {"patch": [{"op": "replace", "path": "/flights/0/date", "value": "2024-05-20"}, {"op": "remove", "path": "/seat"}], "digest": "sha256:bb"}"""),
            var other => FakeResponse.Problem(403, "urn:keel:problem:forbidden", "Forbidden", $"tool '{other}' is not among the agent's tools"),
        };
    }

    private static FakeResponse Outcome(string? callId, string decision, string result, string extra = "") =>
        FakeResponse.Json(200, $$"""{"call_id": "{{callId}}", "decision": {{decision}}, "result": {{result}}{{extra}}}""");

    private static string Run(string id, string status) =>
        $$"""{"id": "{{id}}", "workspace_id": "acme", "agent": "airline", "agent_version": "1.0.0", "status": "{{status}}", "started_at": "2025-03-01T10:00:00Z", "event_count": 0}""";
}
