using Keel.Drift;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Drift;

public sealed class RunMetricsExtractorTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 15, 10, 0, 0, TimeSpan.Zero);

    private static ReplayedRun Replayed(IReadOnlyList<AuditedCall> calls, IReadOnlyList<string> tags, double? reward, bool handedOff = false, params (MessageRole Role, string Text)[] messages)
    {
        var run = new Run("r1", "default", "agent", "1", Start, Run.ReplayChannel) { Status = handedOff ? RunStatus.HandedOff : RunStatus.Completed };
        foreach (var (role, text) in messages)
        {
            run.Append(new MessageEvent(role, text) { Timestamp = Start });
        }

        var recorded = new RecordedRun
        {
            Id = "r1",
            Source = new RecordSource("runs.json", 0),
            Domain = "retail",
            StartedAt = Start,
            Steps = [new RecordedMessage(MessageRole.Assistant, "hi") { Usage = new ModelUsage(1000, 0.02m) }, new RecordedMessage(MessageRole.Assistant, "ok") { Usage = new ModelUsage(500, 0.01m) }],
            Labels = new RunLabels(reward, null),
        };
        return new ReplayedRun(recorded, run, calls, [.. tags.Select(t => new Finding(t, FindingSeverity.Info, t, [], "test"))]);
    }

    private static AuditedCall Call(ToolType type, DecisionKind decision, ToolResultStatus status) =>
        new(new ToolCall("c", type == ToolType.Write ? "cancel_order" : "get_order", "{}"), type, new Decision(decision, "policy", decision == DecisionKind.Allow ? null : "rule", null, "why"), new ToolResult("c", status, "out"));

    [Fact]
    public void Extract_ConstructedRun_CountsMessagesCallsDecisionsTagsRewardAndCost()
    {
        AuditedCall[] calls =
        [
            Call(ToolType.Read, DecisionKind.Allow, ToolResultStatus.Ok),
            Call(ToolType.Read, DecisionKind.Allow, ToolResultStatus.Error),
            Call(ToolType.Write, DecisionKind.RequireApproval, ToolResultStatus.Ok),
            Call(ToolType.Write, DecisionKind.Deny, ToolResultStatus.NotExecuted),
            Call(ToolType.Write, DecisionKind.Allow, ToolResultStatus.Ok),
        ];

        var metrics = new RunMetricsExtractor().Extract(Replayed(calls, [TagTypes.OutcomeDeflected, "topic:refund", TagTypes.SentimentNegative], reward: 1, handedOff: false,
            (MessageRole.Assistant, "Hello, how can I help?"), (MessageRole.User, "This is terrible and I hate it."), (MessageRole.Assistant, ""), (MessageRole.Assistant, "Sorry.")));

        metrics.ResponseLengths.ShouldBe([22, 6]);
        metrics.SentimentCompound.ShouldNotBeNull().ShouldBeLessThan(-0.5);
        metrics.Outcome.ShouldBe(TagTypes.OutcomeDeflected);
        metrics.Topic.ShouldBe("topic:refund");
        metrics.Abstained.ShouldBeTrue();
        metrics.HandedOff.ShouldBeFalse();
        metrics.ToolCalls.ShouldBe(4);
        metrics.ToolErrors.ShouldBe(1);
        metrics.WriteCalls.ShouldBe(3);
        metrics.WritesHeld.ShouldBe(1);
        metrics.WritesDenied.ShouldBe(1);
        metrics.Succeeded.ShouldBe(true);
        metrics.CostUsd.ShouldBe(0.03m);
        metrics.Tokens.ShouldBe(1500);
    }

    [Fact]
    public void Extract_NoRewardNoCustomerHandedOff_LeavesUnknownsNull()
    {
        var metrics = new RunMetricsExtractor().Extract(Replayed([], [TagTypes.OutcomeEscalated], reward: null, handedOff: true, (MessageRole.Assistant, "Transferring you.")));

        metrics.Succeeded.ShouldBeNull();
        metrics.SentimentCompound.ShouldBeNull();
        metrics.Topic.ShouldBeNull();
        metrics.HandedOff.ShouldBeTrue();
        metrics.Abstained.ShouldBeFalse();
        metrics.ToolCalls.ShouldBe(0);
    }

    [Fact]
    public void Extract_RewardBelowOne_IsNotASuccess()
    {
        new RunMetricsExtractor().Extract(Replayed([], [], reward: 0.5)).Succeeded.ShouldBe(false);
    }
}
