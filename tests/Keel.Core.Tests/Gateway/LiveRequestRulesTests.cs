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
        LiveRequestRules.RunChannels.ShouldBe("web, email, whatsapp, phone, api, mcp");
        LiveRequestRules.IsRunChannel("fax").ShouldBeFalse();
    }

    [Theory]
    [InlineData("c1", "get_order", null, null, null)]
    [InlineData("", "get_order", null, null, "$.id")]
    [InlineData("c1", " ", null, null, "$.name")]
    [InlineData("c1", "get_order", -1, null, "$.parallel_index")]
    [InlineData("c1", "get_order", 0, -2, "$.parallel_count")]
    public void ToolCallProblem_Envelope_NamesTheFirstBadField(string id, string name, int? index, int? count, string? path)
    {
        LiveRequestRules.ToolCallProblem(id, name, index, count)?.Path.ShouldBe(path);
        (LiveRequestRules.ToolCallProblem(id, name, index, count) is null).ShouldBe(path is null);
        LiveRequestRules.ToolCallProblem(new string('c', 201), name, index, count)?.Path.ShouldBe("$.id");
    }

    [Theory]
    [InlineData("hello", "user", 10L, 0.01, "web", null)]
    [InlineData(null, "user", null, null, null, "$.content")]
    [InlineData("hello", "operator", null, null, null, "$.role")]
    [InlineData("hello", "bot", null, null, null, "$.role")]
    [InlineData("hello", "assistant", -1L, 0.0, null, "$.usage.tokens")]
    [InlineData("hello", "assistant", 1_000_000_001L, 0.0, null, "$.usage.tokens")]
    [InlineData("hello", "assistant", 1_000_000_000L, 1_000_000.0, null, null)]
    [InlineData("hello", "assistant", 10L, 1_000_000.01, null, "$.usage.cost_usd")]
    [InlineData("hello", "assistant", 10L, -0.01, null, "$.usage.cost_usd")]
    [InlineData("hello", "assistant", null, null, "mcp", "$.channel")]
    public void MessageProblem_Message_NamesTheFirstBadField(string? content, string role, long? tokens, double? cost, string? channel, string? path)
    {
        var usage = tokens is { } t ? (t, (long?)null, (long?)null, (decimal)cost!.Value) : ((long, long?, long?, decimal)?)null;

        var problem = LiveRequestRules.MessageProblem(content, role, usage, channel, out var parsed);

        problem?.Path.ShouldBe(path);
        (problem is null).ShouldBe(path is null);
        if (path is null)
        {
            Keel.Storage.RunEventJson.EnumName(parsed).ShouldBe(role);
        }
    }

    [Fact]
    public void MessageProblem_InputOrOutputTokensAboveTheCap_NamesThatField()
    {
        LiveRequestRules.MessageProblem("hi", "assistant", (10, 1_000_000_001, null, 0m), null, out _)!.Value.Path.ShouldBe("$.usage.input_tokens");
        LiveRequestRules.MessageProblem("hi", "assistant", (10, 5, -1, 0m), null, out _)!.Value
            .ShouldBe(("$.usage.output_tokens", "output_tokens is a whole number from 0 to 1,000,000,000"));
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

        // A digest the approval gate already set (the call as it was when held) is kept, not recomputed.
        context.ApprovalDigest = "sha256:set-by-the-gate";
        HeldCallApproval.Create(state.Run, context, decision, 1, TimeSpan.FromMinutes(30), Clock).Digest.ShouldBe("sha256:set-by-the-gate");
    }

    [Theory]
    [InlineData(DecisionKind.RequireApproval, false, true)]
    [InlineData(DecisionKind.RequirePlan, true, true)]
    [InlineData(DecisionKind.RequirePlan, false, false)] // a plan is asked for: nothing to approve yet
    [InlineData(DecisionKind.Allow, false, false)]
    [InlineData(DecisionKind.Deny, false, false)]
    public void IsHeld_Decision_HoldsAnApprovalOrAPlanSentForApproval(DecisionKind kind, bool withPlan, bool held)
    {
        var state = NewRun();
        var context = new ToolCallContext(Call("cancel_reservation", "{}", "c1"), state, Agent(), Clock, PipelineMode.Enforce);
        if (withPlan)
        {
            using var before = System.Text.Json.JsonDocument.Parse("{\"status\": \"confirmed\"}");
            using var after = System.Text.Json.JsonDocument.Parse("{\"status\": \"cancelled\"}");
            context.Plan = Keel.Plans.PlanPreview.Create("cancel_reservation", "preview_cancel_reservation", before.RootElement, after.RootElement);
        }

        var outcome = new ToolCallOutcome(new Decision(kind, "stage", null, null, "why"), ToolResult.NotExecuted("c1", "held"), null);

        HeldCallApproval.IsHeld(outcome, context).ShouldBe(held);
    }
}
