using System.Text.Json;
using Keel.Core.Tests.Gateway;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Policies;

/// <summary>What each rule kind decides on a proposed call.</summary>
public sealed class PolicyRuleKindTests
{
    private const string Head = "policy: test\nversion: \"3\"\nrules:\n";

    private static Decision Decide(string rules, string tool, string arguments, RunState? state = null, PolicyLoadOptions? options = null,
        ToolCall? call = null, DateTimeOffset? now = null)
    {
        var set = GatewayKit.Policies(Head + rules, options);
        call ??= new ToolCall("call_1", tool, arguments);
        Catalog().TryGet(tool, out var definition);
        using var doc = JsonDocument.Parse(arguments);
        return set.Evaluate(new PolicyContext(call, definition, doc.RootElement.Clone(), state ?? NewRun(), now ?? Clock));
    }

    private static void Read(RunState state, string tool, string arguments, string output)
    {
        Catalog().TryGet(tool, out var definition);
        using var doc = JsonDocument.Parse(arguments);
        state.OnToolResult(definition, new ToolCall("r", tool, arguments), doc.RootElement.Clone(), new ToolResult("r", ToolResultStatus.Ok, output));
    }

    [Fact]
    public void Evaluate_ToolAllow_DeniesAnyUnlistedTool()
    {
        const string rules = "  - id: allow-list\n    kind: tool_allow\n    tools: [get_reservation_details]\n    cite: c\n";

        Decide(rules, "get_reservation_details", """{"reservation_id": "A"}""").Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""").ShouldBe(
            new Decision(DecisionKind.Deny, "policy", "allow-list", "3", "tool 'cancel_reservation' is not on this agent's allow list"));
    }

    [Fact]
    public void Evaluate_ToolDeny_DeniesOnlyTheListedTools()
    {
        const string rules = "  - id: no-cancel\n    kind: tool_deny\n    tools: [cancel_reservation]\n    cite: c\n";

        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""").Reason.ShouldBe("tool 'cancel_reservation' is on this agent's deny list");
        Decide(rules, "get_reservation_details", """{"reservation_id": "A"}""").Kind.ShouldBe(DecisionKind.Allow);
    }

    [Fact]
    public void Evaluate_ParameterConstraint_DeniesArgumentsOutsideTheConstraint()
    {
        const string rules = "  - id: cap\n    kind: parameter_constraint\n    tools: [send_certificate]\n    require: args.amount <= 500\n    cite: c\n";

        Decide(rules, "send_certificate", """{"user_id": "u", "amount": 500}""").Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "send_certificate", """{"user_id": "u", "amount": 500.5}""").ShouldBe(
            new Decision(DecisionKind.Deny, "policy", "cap", "3", "condition not met: args.amount <= 500"));
    }

    [Fact]
    public void Evaluate_PreconditionOnAFactNeverLookedUp_FailsClosedToApproval()
    {
        const string rules = "  - id: looked-up\n    kind: precondition\n    tools: [cancel_reservation]\n"
            + "    require: facts.get_reservation_details[args.reservation_id].cabin == 'business'\n    cite: c\n";

        var decision = Decide(rules, "cancel_reservation", """{"reservation_id": "ABC123"}""");

        decision.Kind.ShouldBe(DecisionKind.RequireApproval);
        decision.Reason.ShouldStartWith("condition not met: facts.get_reservation_details[args.reservation_id].cabin == 'business' (could not be verified: ");
    }

    [Fact]
    public void Evaluate_PreconditionOnALookedUpFact_DecidesFromTheFact()
    {
        const string rules = "  - id: business-only\n    kind: precondition\n    tools: [cancel_reservation]\n"
            + "    require: facts.get_reservation_details[args.reservation_id].cabin == 'business'\n    cite: c\n";
        var state = NewRun();
        Read(state, "get_reservation_details", """{"reservation_id": "ABC123"}""", """{"cabin": "business"}""");
        Read(state, "get_reservation_details", """{"reservation_id": "XYZ999"}""", """{"cabin": "economy"}""");

        Decide(rules, "cancel_reservation", """{"reservation_id": "ABC123"}""", state).Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "cancel_reservation", """{"reservation_id": "XYZ999"}""", state).ShouldBe(
            new Decision(DecisionKind.RequireApproval, "policy", "business-only", "3", "condition not met: facts.get_reservation_details[args.reservation_id].cabin == 'business'"));
    }

    [Fact]
    public void Evaluate_PreconditionWhoseWhenIsFalseOrUnknown_DoesNotApply()
    {
        const string rules = "  - id: guarded\n    kind: precondition\n    tools: [cancel_reservation]\n    on_fail: deny\n"
            + "    when: facts.get_reservation_details[args.reservation_id].cabin == 'basic_economy'\n    require: \"false\"\n    cite: c\n";
        var state = NewRun();
        Read(state, "get_reservation_details", """{"reservation_id": "ECO"}""", """{"cabin": "economy"}""");
        Read(state, "get_reservation_details", """{"reservation_id": "BASIC"}""", """{"cabin": "basic_economy"}""");

        Decide(rules, "cancel_reservation", """{"reservation_id": "ECO"}""", state).Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "cancel_reservation", """{"reservation_id": "UNSEEN"}""", state).Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "cancel_reservation", """{"reservation_id": "BASIC"}""", state).Kind.ShouldBe(DecisionKind.Deny);
    }

    [Fact]
    public void Evaluate_ApprovalThreshold_HoldsAmountsAboveItAndAmountsItCannotRead()
    {
        const string rules = "  - id: big-certificate\n    kind: approval_threshold\n    tools: [send_certificate]\n    value: args.amount\n    above: 250\n    cite: c\n";

        Decide(rules, "send_certificate", """{"user_id": "u", "amount": 250}""").Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "send_certificate", """{"user_id": "u", "amount": 300}""").ShouldBe(
            new Decision(DecisionKind.RequireApproval, "policy", "big-certificate", "3", "args.amount = 300 is above the approval threshold 250"));
        var unreadable = Decide(rules, "send_certificate", """{"user_id": "u", "amount": "lots"}""");
        unreadable.Kind.ShouldBe(DecisionKind.RequireApproval);
        unreadable.Reason.ShouldStartWith("amount could not be computed (");
    }

    [Theory]
    [InlineData("123456789012345678901234567890", DecisionKind.RequireApproval)]
    [InlineData("1e400", DecisionKind.RequireApproval)]
    [InlineData("-99999999999999999999", DecisionKind.Allow)]
    public void Evaluate_ApprovalThresholdOverANumberBeyondInt64_DecidesWithoutThrowing(string amount, DecisionKind expected)
    {
        const string rules = "  - id: big-certificate\n    kind: approval_threshold\n    tools: [send_certificate]\n    value: args.amount\n    above: 250\n    cite: c\n";

        Decide(rules, "send_certificate", $$"""{"user_id": "u", "amount": {{amount}}}""").Kind.ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_OneCallAtATime_DeniesTheSecondCallOfAParallelTurn()
    {
        const string rules = "  - id: one-call\n    kind: one_call_at_a_time\n    on_fail: deny\n    cite: c\n";
        const string args = """{"reservation_id": "A"}""";

        Decide(rules, "get_reservation_details", args, call: new ToolCall("c1", "get_reservation_details", args, 0, 2)).Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "get_reservation_details", args, call: new ToolCall("c2", "get_reservation_details", args, 1, 2)).Reason
            .ShouldBe("call 2 of 2 proposed in one turn; make one tool call at a time");
        Decide(rules, "get_reservation_details", args, call: new ToolCall("c3", "get_reservation_details", args, TurnHasText: true)).Kind.ShouldBe(DecisionKind.Allow);
    }

    [Fact]
    public void Evaluate_OneCallAtATimeWithTextFail_DeniesACallMadeWhileSpeaking()
    {
        const string rules = "  - id: one-call\n    kind: one_call_at_a_time\n    on_fail: deny\n    with_text: fail\n    cite: c\n";
        const string args = """{"reservation_id": "A"}""";

        Decide(rules, "get_reservation_details", args, call: new ToolCall("c1", "get_reservation_details", args, TurnHasText: true)).Reason
            .ShouldBe("a tool call and a message to the user in the same turn; do one or the other");
    }

    [Fact]
    public async Task Evaluate_RateLimitPerRun_DeniesAllowedCallsBeyondMax()
    {
        const string rules = "  - id: two-certificates\n    kind: rate_limit\n    tools: [send_certificate]\n    max: 2\n    cite: c\n";
        var agent = Agent(Head + rules);
        var state = NewRun();
        var pipeline = Pipeline(new FakeToolExecutor());

        var kinds = new List<DecisionKind>();
        for (var i = 0; i < 3; i++)
        {
            kinds.Add((await EnforceAsync(pipeline, state, agent, Call("send_certificate", $$"""{"user_id": "u{{i}}", "amount": 50}"""), Clock.AddDays(i))).Decision.Kind);
        }

        kinds.ShouldBe([DecisionKind.Allow, DecisionKind.Allow, DecisionKind.Deny]);
        var denied = await EnforceAsync(pipeline, state, agent, Call("send_certificate", """{"user_id": "u9", "amount": 50}"""), Clock.AddDays(30));
        denied.Decision.Reason.ShouldBe("rate limit reached: 2 of 2 calls per run");
        (await EnforceAsync(pipeline, state, agent, Call("get_reservation_details", """{"reservation_id": "A"}"""))).Decision.Kind.ShouldBe(DecisionKind.Allow);
    }

    [Fact]
    public async Task Evaluate_RateLimitPerWindow_SlidesOnTheRunClock()
    {
        const string rules = "  - id: two-per-hour\n    kind: rate_limit\n    tools: [send_certificate]\n    max: 2\n    per: 1h\n    cite: c\n";
        var agent = Agent(Head + rules);
        var state = NewRun();
        var pipeline = Pipeline(new FakeToolExecutor());

        async Task<Decision> At(int minutes, int user) =>
            (await EnforceAsync(pipeline, state, agent, Call("send_certificate", $$"""{"user_id": "u{{user}}", "amount": 50}"""), Clock.AddMinutes(minutes))).Decision;

        (await At(0, 1)).Kind.ShouldBe(DecisionKind.Allow);
        (await At(10, 2)).Kind.ShouldBe(DecisionKind.Allow);
        var third = await At(20, 3);
        third.Kind.ShouldBe(DecisionKind.Deny);
        third.Reason.ShouldBe("rate limit reached: 2 of 2 calls per 01:00:00");
        (await At(61, 4)).Kind.ShouldBe(DecisionKind.Allow);  // the call at 0 left the window; the denied one never counted
        (await At(65, 5)).Kind.ShouldBe(DecisionKind.Deny);   // 10 and 61 are in the window
    }

    [Fact]
    public void Evaluate_EscalateRule_EscalatesWhenItsConditionHoldsAndNotOnAnError()
    {
        const string rules = "  - id: legal\n    kind: escalate\n    when: run.last_user_message.contains('lawyer')\n    reason: \"legal threat\"\n    cite: c\n";
        var calm = NewRun();
        calm.AppendMessage(MessageRole.User, "Please cancel my trip.", Clock);
        var angry = NewRun();
        angry.AppendMessage(MessageRole.User, "Cancel it or my lawyer will call you.", Clock);

        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""", calm).Kind.ShouldBe(DecisionKind.Allow);
        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""", angry).ShouldBe(new Decision(DecisionKind.Escalate, "policy", "legal", "3", "legal threat"));
        const string broken = "  - id: broken\n    kind: escalate\n    when: args.missing.contains('x')\n    cite: c\n";
        Decide(broken, "cancel_reservation", """{"reservation_id": "A"}""", angry).Kind.ShouldBe(DecisionKind.Allow);
    }

    [Fact]
    public void Evaluate_CustomPolicy_DecidesWithItsReasonAndTheRulesOwn()
    {
        const string rules = "  - id: fraud\n    kind: custom\n    type: FraudScore\n    tools: [send_certificate]\n    reason: \"fraud check failed\"\n    cite: c\n";
        var options = new PolicyLoadOptions();
        var policy = new FixedPolicy("FraudScore", PolicyVerdict.Fail("score 0.97 above 0.9"));
        options.CustomPolicies[policy.Name] = policy;

        var decision = Decide(rules, "send_certificate", """{"user_id": "u", "amount": 10}""", options: options);
        var other = Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""", options: options);

        decision.ShouldBe(new Decision(DecisionKind.Deny, "policy", "fraud", "3", "fraud check failed (score 0.97 above 0.9)"));
        other.Kind.ShouldBe(DecisionKind.Allow);
        policy.Calls.ShouldBe(1);
    }

    [Fact]
    public void Evaluate_SeveralRulesFail_TheMostRestrictiveDecides()
    {
        const string rules =
            "  - id: hold\n    kind: precondition\n    require: \"false\"\n    cite: c\n" +
            "  - id: escalate\n    kind: escalate\n    when: \"true\"\n    cite: c\n" +
            "  - id: deny-first\n    kind: parameter_constraint\n    require: \"false\"\n    cite: c\n" +
            "  - id: deny-second\n    kind: parameter_constraint\n    require: \"false\"\n    cite: c\n" +
            "  - id: plan\n    kind: precondition\n    on_fail: require_plan\n    require: \"false\"\n    cite: c\n";

        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""").RuleId.ShouldBe("deny-first");
        Decide(rules.Replace("parameter_constraint", "precondition", StringComparison.Ordinal), "cancel_reservation", """{"reservation_id": "A"}""")
            .ShouldBe(new Decision(DecisionKind.Escalate, "policy", "escalate", "3", "escalation condition met: true"));
    }

    [Fact]
    public void Evaluate_WarnRuleFails_AllowsTheCallAndRecordsTheWarning()
    {
        const string rules = "  - id: one-call\n    kind: one_call_at_a_time\n    on_fail: warn\n    cite: c\n";
        const string args = """{"reservation_id": "A"}""";

        var decision = Decide(rules, "get_reservation_details", args, call: new ToolCall("c2", "get_reservation_details", args, 1, 2));

        decision.ShouldBe(new Decision(DecisionKind.Allow, "policy", "one-call", "3", "allowed with a warning: call 2 of 2 proposed in one turn; make one tool call at a time"));
        decision.IsHeldOrDenied.ShouldBeFalse();
    }

    [Fact]
    public void Evaluate_WarnRuleAndDenyRuleFail_TheDenyDecides()
    {
        const string rules = "  - id: one-call\n    kind: one_call_at_a_time\n    on_fail: warn\n    cite: c\n"
            + "  - id: no-cancel\n    kind: tool_deny\n    tools: [cancel_reservation]\n    cite: c\n";
        const string args = """{"reservation_id": "A"}""";

        Decide(rules, "cancel_reservation", args, call: new ToolCall("c2", "cancel_reservation", args, 1, 2)).RuleId.ShouldBe("no-cancel");
    }

    [Fact]
    public void Evaluate_RuleForOtherTools_DoesNotApply()
    {
        const string rules = "  - id: certs\n    kind: precondition\n    tools: [send_certificate]\n    on_fail: deny\n    require: \"false\"\n    cite: c\n";

        Decide(rules, "cancel_reservation", """{"reservation_id": "A"}""").ShouldBe(new Decision(DecisionKind.Allow, "policy", null, "3", "no policy rule objected"));
        Decide(rules, "send_certificate", """{"user_id": "u", "amount": 1}""").Kind.ShouldBe(DecisionKind.Deny);
    }
}
