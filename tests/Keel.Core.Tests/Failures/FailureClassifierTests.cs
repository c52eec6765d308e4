using System.Text.Json.Nodes;
using Keel.Failures;
using Keel.Model;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Failures;

public sealed class FailureClassifierTests
{
    private static readonly ToolCatalog Catalog = ToolCatalogLoader.Parse(JsonNode.Parse("""
        {"tools": [
          {"type": "function", "x-tool-type": "READ", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}},
          {"type": "function", "x-tool-type": "WRITE", "function": {"name": "cancel", "parameters": {"type": "object", "properties": {}}}}
        ]}
        """), "tools.json");

    private static readonly ToolCall LookupCall = new("c1", "lookup", "{}");

    private static ToolDefinition Tool(string name) => Catalog.TryGet(name, out var tool) ? tool : throw new InvalidOperationException(name);

    [Theory]
    [InlineData("Error: request timed out")]
    [InlineData("Timeout after 30 s")]
    [InlineData("upstream time out")]
    [InlineData("503 Service Unavailable")]
    [InlineData("HTTP 429 Too Many Requests")]
    [InlineData("rate limit exceeded")]
    [InlineData("Rate-limit hit, retry later")]
    [InlineData("connection reset by peer")]
    [InlineData("Service temporarily down, please try again")]
    [InlineData("HTTP 504")]
    public void IsTransient_TransientConditions_AreTransient(string message) => FailureClassifier.IsTransient(message).ShouldBeTrue();

    [Theory]
    [InlineData("Error: reservation 3RK2T9 not found")]
    [InlineData("Error: gift card balance is not enough")]
    [InlineData("Error: not enough seats on flight HAT290")]
    [InlineData("Error: flight HAT503 not available on date 2024-05-13")]
    [InlineData("Error: payment amount does not add up, total price is 305, but paid 255")]
    [InlineData("Error: certificate cannot be used to update reservation")]
    public void IsTransient_BusinessRefusals_AreNotTransient(string message) => FailureClassifier.IsTransient(message).ShouldBeFalse();

    [Theory]
    [InlineData("Error: payment amount does not add up, total price is 503, but paid 255")]
    [InlineData("Error: not enough balance, you need 429 more")]
    public void IsTransient_BusinessRefusalQuotingANumberLikeAStatusCode_IsNotTransient(string message) => FailureClassifier.IsTransient(message).ShouldBeFalse();

    [Theory]
    [InlineData(ToolErrorKind.Transient, "Error: the route went away", true)]
    [InlineData(ToolErrorKind.Semantic, "Error: 503 Service Unavailable is not a cabin", false)]
    [InlineData(ToolErrorKind.Unclassified, "503 Service Unavailable", true)]
    [InlineData(ToolErrorKind.Unclassified, "Error: reservation not found", false)]
    public void IsTransient_ResultWithAnErrorKind_FollowsTheKindAndTheTextOnlyWhenUnclassified(ToolErrorKind kind, string text, bool transient) =>
        FailureClassifier.IsTransient(ToolResult.Failed("c1", kind, text)).ShouldBe(transient);

    [Fact]
    public void IsTransient_SuccessfulResultWithTransientSoundingText_IsNotTransient() =>
        FailureClassifier.IsTransient(new ToolResult("c1", ToolResultStatus.Ok, "status: timeout handled")).ShouldBeFalse();

    [Fact]
    public void ToolError_TransientErrorOfAnIdempotentTool_IsRetried()
    {
        var failure = FailureClassifier.ToolError(Tool("lookup"), LookupCall, new ToolResult("c1", ToolResultStatus.Error, "Error: timeout"), eventSequence: 7);

        failure.ShouldBe(new Failure(FailureClass.ToolTransient, Disposition.Retry, "lookup failed transiently: Error: timeout", 7, "lookup"));
    }

    [Fact]
    public void ToolError_TransientErrorOfAWriteOrUnknownTool_Escalates()
    {
        var write = FailureClassifier.ToolError(Tool("cancel"), new ToolCall("c2", "cancel", "{}"), new ToolResult("c2", ToolResultStatus.Error, "503 Service Unavailable"));
        var unknown = FailureClassifier.ToolError(null, new ToolCall("c3", "mystery", "{}"), new ToolResult("c3", ToolResultStatus.Error, "connection refused"));

        write.Disposition.ShouldBe(Disposition.Escalate);
        write.Message.ShouldBe("cancel failed transiently and is not idempotent, so it is not retried: 503 Service Unavailable");
        unknown.Disposition.ShouldBe(Disposition.Escalate);
    }

    [Fact]
    public void ToolError_LongErrorText_IsCutAt300Characters()
    {
        var output = "Error: " + new string('x', 400);

        var failure = FailureClassifier.ToolError(Tool("cancel"), new ToolCall("c2", "cancel", "{}"), new ToolResult("c2", ToolResultStatus.Error, output));

        failure.Class.ShouldBe(FailureClass.ToolSemantic);
        failure.Disposition.ShouldBe(Disposition.SafeStop);
        failure.Message.ShouldBe("cancel refused the call: " + output[..300] + "…");
    }

    [Theory]
    [InlineData(DecisionKind.Deny, FailureClass.Permission, Disposition.Escalate, true)]
    [InlineData(DecisionKind.Deny, FailureClass.Injection, Disposition.SafeStop, true)]
    [InlineData(DecisionKind.Deny, FailureClass.Policy, Disposition.SafeStop, false)]
    [InlineData(DecisionKind.Deny, FailureClass.Schema, Disposition.SafeStop, false)]
    [InlineData(DecisionKind.Deny, FailureClass.Budget, Disposition.SafeStop, false)]
    [InlineData(DecisionKind.Deny, FailureClass.Loop, Disposition.SafeStop, false)]
    [InlineData(DecisionKind.Escalate, FailureClass.Loop, Disposition.Escalate, false)]
    [InlineData(DecisionKind.RequireApproval, FailureClass.Policy, Disposition.Escalate, false)]
    [InlineData(DecisionKind.RequirePlan, FailureClass.Policy, Disposition.SafeStop, false)]
    public void Stopped_DecisionAndClass_PickTheDispositionAndTheTeamOnlyForEscalations(DecisionKind kind, FailureClass failureClass, Disposition disposition, bool narrower)
    {
        var decision = new Decision(kind, "policy", "rule.x", "1", "because");

        var failure = FailureClassifier.Stopped(decision, failureClass, LookupCall, "tier2");

        failure.ShouldBe(new Failure(failureClass, disposition, "because", null, "lookup", "rule.x",
            HandoffTarget: disposition == Disposition.Escalate ? "tier2" : null, ImpliesNarrowerPermissions: narrower));
    }
}
