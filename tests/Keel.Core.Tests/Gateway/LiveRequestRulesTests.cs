using Keel.Approvals;
using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

/// <summary>The live request rules and the held call's approval record, shared by <c>keel serve</c> and the in-process gateway.</summary>
public sealed class LiveRequestRulesTests
{
    [Theory]
    [InlineData("run-1", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("a%2F", false)]
    [InlineData("tab\there", false)]
    public void IsValidRunId_Id_MatchesTheUrlSegmentRule(string id, bool valid) => LiveRequestRules.IsValidRunId(id).ShouldBe(valid);

    [Fact]
    public void IsValidRunId_LongerThanTheLimit_IsInvalid()
    {
        LiveRequestRules.IsValidRunId(new string('r', LiveRequestRules.MaxRunIdLength)).ShouldBeTrue();
        LiveRequestRules.IsValidRunId(new string('r', LiveRequestRules.MaxRunIdLength + 1)).ShouldBeFalse();
    }

    [Fact]
    public void IsRunChannel_Mcp_IsARunChannelButNotAMessageChannel()
    {
        LiveRequestRules.IsRunChannel("mcp").ShouldBeTrue();
        LiveRequestRules.IsMessageChannel("mcp").ShouldBeFalse();
        LiveRequestRules.RunChannels.Split(", ").ShouldAllBe(c => LiveRequestRules.IsRunChannel(c));
        LiveRequestRules.MessageChannels.Split(", ").ShouldAllBe(c => LiveRequestRules.IsMessageChannel(c));
        LiveRequestRules.IsRunChannel("fax").ShouldBeFalse();
    }

    [Fact]
    public void NewRunId_NoneOrBlankAsked_MakesARandomIdOtherwiseKeepsTheAskedOne()
    {
        var made = LiveRequestRules.NewRunId("  ");

        made.ShouldMatch("^run_[0-9a-f]{16}$");
        LiveRequestRules.NewRunId(null).ShouldNotBe(made);
        LiveRequestRules.NewRunId("mine").ShouldBe("mine");
    }

    [Fact]
    public void Create_HeldCall_RecordsTheCallTheDecisionAndTheTimeout()
    {
        var state = NewRun();
        const string Arguments = """{"reservation_id": "ABC123", "b": 1}""";
        using var parsed = System.Text.Json.JsonDocument.Parse(Arguments);
        var context = new ToolCallContext(Call("cancel_reservation", Arguments, "c9"), state, Agent(), Clock, PipelineMode.Enforce) { Arguments = parsed.RootElement };
        var decision = new Decision(DecisionKind.RequireApproval, "approval_gate", "cancel.needs-person", "1", "a person approves cancellations");

        var approval = HeldCallApproval.Create(state.Run, context, decision, stagesRequired: 2, TimeSpan.FromMinutes(30), Clock);

        approval.Id.ShouldMatch("^apr_[0-9a-f]{16}$");
        (approval.WorkspaceId, approval.RunId, approval.CallId, approval.ToolName).ShouldBe((WorkspaceId, "run-1", "c9", "cancel_reservation"));
        approval.ArgumentsJson.ShouldBe("""{"b":1,"reservation_id":"ABC123"}""");
        approval.Digest.ShouldBe(ApprovalDigest.For(context));
        (approval.Reason, approval.RuleId, approval.StagesRequired).ShouldBe(("a person approves cancellations", "cancel.needs-person", 2));
        (approval.RequestedAt, approval.ExpiresAt, approval.PlanJson).ShouldBe((Clock, Clock.AddMinutes(30), (string?)null));
    }
}
