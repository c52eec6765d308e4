using System.Text.Json;
using Keel.Core.Tests.Gateway;
using Keel.Model;
using Keel.Replay;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

public sealed class RunAssessmentTests
{
    private static readonly HashSet<string> WriteTools = ["cancel_reservation", "send_certificate"];

    private static ExpectedAction Expect(string tool, string arguments, string requestor = "assistant")
    {
        using var doc = JsonDocument.Parse(arguments);
        return new ExpectedAction(tool, doc.RootElement.Clone(), requestor);
    }

    private static AuditedCall Write(string tool, string arguments, ToolResultStatus status = ToolResultStatus.Ok, DecisionKind decision = DecisionKind.Allow) =>
        new(new ToolCall("c", tool, arguments), ToolType.Write, new Decision(decision, "policy", decision == DecisionKind.Allow ? null : "r", "1", "x"),
            new ToolResult("c", status, "{}"));

    private static ReplayedRun Run(RunLabels labels, params AuditedCall[] calls) => new(
        new RecordedRun { Id = "r", Source = new RecordSource("f.json", 0), StartedAt = GatewayKit.Clock, Steps = [], Labels = labels },
        new Run("r", "default", "a", "1", GatewayKit.Clock), calls, []);

    [Fact]
    public void Assess_WritesMatchingTheExpectedActions_AreExpectedWhateverTheKeyOrderOrNumberFormat()
    {
        var labels = new RunLabels(1.0, [
            Expect("cancel_reservation", """{"reservation_id": "A"}"""),
            Expect("send_certificate", """{"user_id": "u", "amount": 150}"""),
            Expect("get_reservation_details", """{"reservation_id": "A"}""")]);

        var assessment = RunAssessment.Assess(Run(labels,
            Write("send_certificate", """{"amount": 150.0, "user_id": "u"}"""),
            Write("cancel_reservation", """{"reservation_id": "A"}""")), WriteTools);

        assessment.HasExpectedActions.ShouldBeTrue();
        assessment.ExpectedWrites.Count.ShouldBe(2);
        assessment.UnsafeWrites.ShouldBeEmpty();
        assessment.PredictedReward.ShouldBe(1.0);
        assessment.AgreesWithReward.ShouldBe(true);
    }

    [Fact]
    public void Assess_SameWriteTwice_MatchesTheExpectedActionOnceAndTheRepeatIsUnsafe()
    {
        var labels = new RunLabels(0.0, [Expect("cancel_reservation", """{"reservation_id": "A"}""")]);
        var first = Write("cancel_reservation", """{"reservation_id": "A"}""");
        var again = Write("cancel_reservation", """{"reservation_id": "A"}""", decision: DecisionKind.Deny);

        var assessment = RunAssessment.Assess(Run(labels, first, again), WriteTools);

        assessment.ExpectedWrites.ShouldBe([first]);
        assessment.UnsafeWrites.ShouldBe([again]);
        assessment.UnsafeWrites[0].IsHeld.ShouldBeTrue();
        assessment.PredictedReward.ShouldBe(0.0);
        assessment.AgreesWithReward.ShouldBe(true);
    }

    [Fact]
    public void Assess_MissingExpectedWriteAndFailedWrites_PredictFailure()
    {
        var labels = new RunLabels(1.0, [Expect("cancel_reservation", """{"reservation_id": "A"}""")]);

        var assessment = RunAssessment.Assess(Run(labels, Write("cancel_reservation", """{"reservation_id": "A"}""", ToolResultStatus.Error)), WriteTools);

        assessment.ExpectedWrites.ShouldBeEmpty();
        assessment.UnsafeWrites.ShouldBeEmpty();
        assessment.PredictedReward.ShouldBe(0.0);
        assessment.AgreesWithReward.ShouldBe(false);
    }

    [Fact]
    public void Assess_ExpectedActionsOfTheCustomer_AreNotExpectedOfTheAgent()
    {
        var labels = new RunLabels(1.0, [Expect("cancel_reservation", """{"reservation_id": "A"}""", requestor: "user")]);

        var assessment = RunAssessment.Assess(Run(labels), WriteTools);

        assessment.PredictedReward.ShouldBe(1.0);
    }

    [Fact]
    public void Assess_NoLabels_HasNoOpinion()
    {
        var assessment = RunAssessment.Assess(Run(RunLabels.None, Write("cancel_reservation", """{"reservation_id": "A"}""")), WriteTools);

        assessment.HasExpectedActions.ShouldBeFalse();
        assessment.UnsafeWrites.ShouldBeEmpty();
        assessment.PredictedReward.ShouldBeNull();
        assessment.AgreesWithReward.ShouldBeNull();
    }
}
