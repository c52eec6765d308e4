using Keel.Sdk.Api;
using Keel.Sdk.Governance;

namespace Keel.Sdk.Tests;

public sealed class ToolCallVerdictTests
{
    private static ApiToolCallOutcome Outcome(string kind, string status, string? output = null, ApiApproval? approval = null) =>
        new("c1", new ApiDecision(kind, "policy", kind == "allow" ? null : "rule.x", "1", "because"), new ApiToolResult(status, output), approval);

    [Fact]
    public void From_AllowNotExecuted_RunsLocally() =>
        ToolCallVerdict.From(Outcome("allow", "not_executed", "no upstream")).Kind.ShouldBe(ToolCallVerdictKind.RunLocally);

    [Fact]
    public void From_AllowExecutedUpstream_ReturnsUpstreamOutput()
    {
        var verdict = ToolCallVerdict.From(Outcome("allow", "success", "{\"status\":\"shipped\"}"));

        verdict.Kind.ShouldBe(ToolCallVerdictKind.RanUpstream);
        verdict.ResultText.ShouldBe("{\"status\":\"shipped\"}");
    }

    [Fact]
    public void From_AllowUpstreamError_SaysTheToolFailed() =>
        ToolCallVerdict.From(Outcome("allow", "error", "timeout")).ResultText.ShouldBe("The tool failed: timeout");

    [Theory]
    [InlineData("deny", "Keel denied this call (rule rule.x, stage policy): because. The tool did not run.")]
    [InlineData("escalate", "Keel stopped this call and handed the conversation to a person (rule rule.x, stage policy): because. The tool did not run.")]
    [InlineData("require_plan", "Keel requires a reviewed plan before this call (rule rule.x, stage policy): because. The tool did not run.")]
    public void From_Refusals_NameDecisionRuleAndReason(string kind, string text)
    {
        var verdict = ToolCallVerdict.From(Outcome(kind, "not_executed"));

        verdict.Kind.ShouldBe(ToolCallVerdictKind.Refused);
        verdict.ResultText.ShouldBe(text);
    }

    [Fact]
    public void From_RequireApprovalWithApproval_IsHeldWithItsId()
    {
        var verdict = ToolCallVerdict.From(Outcome("require_approval", "not_executed", approval: new ApiApproval("apr_1", "run_1", "c1", "refund", default, null, "pending", 1, [], null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)));

        verdict.Kind.ShouldBe(ToolCallVerdictKind.Held);
        verdict.ApprovalId.ShouldBe("apr_1");
        verdict.ResultText!.ShouldStartWith("Keel is holding this call for approval apr_1 (rule rule.x, stage policy)");
    }

    [Fact]
    public void From_RequireApprovalWithoutApproval_IsRefused() =>
        ToolCallVerdict.From(Outcome("require_approval", "not_executed")).Kind.ShouldBe(ToolCallVerdictKind.Refused);
}
