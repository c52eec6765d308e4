using Keel.Model;
using Keel.Monitors;
using Keel.Risk;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Risk;

public sealed class RiskScoreTests
{
    private static readonly DateTimeOffset _start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_QuietRun_ScoresZeroWithEveryPartShown()
    {
        var run = NewRun();
        run.Append(new MessageEvent(MessageRole.User, "hello"));

        var score = RiskScore.Compute(run, 0, BudgetLimits.Unlimited);

        score.Total.ShouldBe(0);
        score.Parts.Select(p => p.Name).ShouldBe([RiskScore.Findings, RiskScore.Sentiment, RiskScore.Approvals, RiskScore.Budget, RiskScore.Failures]);
    }

    [Fact]
    public void Compute_FindingsBySeverity_OneHighOutweighsTwoMediums()
    {
        var high = NewRun();
        high.Append(Finding("claim_without_result", FindingSeverity.High));
        var mediums = NewRun();
        mediums.Append(Finding("repeated_question", FindingSeverity.Medium));
        mediums.Append(Finding("repeated_question", FindingSeverity.Medium));

        var highScore = RiskScore.Compute(high, 0, BudgetLimits.Unlimited);
        var mediumScore = RiskScore.Compute(mediums, 0, BudgetLimits.Unlimited);

        highScore.Total.ShouldBeGreaterThan(mediumScore.Total);
        mediumScore.Part(RiskScore.Findings).Detail.ShouldBe("2 medium");
    }

    [Fact]
    public void Compute_ManyHighFindings_FindingsPartIsCapped()
    {
        var run = NewRun();
        for (var i = 0; i < 10; i++)
        {
            run.Append(Finding("untrusted_instruction", FindingSeverity.High));
        }

        RiskScore.Compute(run, 0, BudgetLimits.Unlimited).Part(RiskScore.Findings).Points.ShouldBe(50);
    }

    [Fact]
    public void Compute_SentimentTurnedNegativeAndDeclining_CountsInSentimentNotFindings()
    {
        var run = NewRun();
        run.Append(Finding(TagTypes.SentimentTurnedNegative, FindingSeverity.Medium));
        run.Append(Finding(TagTypes.SentimentNegative, FindingSeverity.Low));
        run.Append(Finding(TagTypes.SentimentDeclining, FindingSeverity.Low));

        var score = RiskScore.Compute(run, 0, BudgetLimits.Unlimited);

        score.Part(RiskScore.Findings).Points.ShouldBe(0);
        score.Part(RiskScore.Sentiment).Points.ShouldBe(30);
        score.Part(RiskScore.Sentiment).Detail.ShouldBe("turned negative 1×, negative, declining");
    }

    [Fact]
    public void Compute_PendingApproval_RaisesScoreAboveARunWithAMediumFinding()
    {
        var finding = NewRun();
        finding.Append(Finding("repeated_question", FindingSeverity.Medium));
        var waiting = NewRun();

        RiskScore.Compute(waiting, 1, BudgetLimits.Unlimited).Total.ShouldBeGreaterThan(RiskScore.Compute(finding, 0, BudgetLimits.Unlimited).Total);
        RiskScore.Compute(waiting, 5, BudgetLimits.Unlimited).Part(RiskScore.Approvals).Points.ShouldBe(40);
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 0)]
    [InlineData(8, 12)]
    [InlineData(10, 20)]
    [InlineData(15, 20)]
    public void Compute_ToolCallsAgainstBudget_RisesFromHalfToWholeBudget(int calls, double expected)
    {
        var run = NewRun();
        for (var i = 0; i < calls; i++)
        {
            run.Append(new ToolCallEvent(new ToolCall($"c{i}", "get_order", "{}")));
        }

        RiskScore.Compute(run, 0, new BudgetLimits(MaxToolCalls: 10)).Part(RiskScore.Budget).Points.ShouldBe(expected);
    }

    [Fact]
    public void Compute_FailuresErrorsAndDenials_AddUp()
    {
        var run = NewRun();
        run.AddFailure(new Failure(FailureClass.Policy, Disposition.SafeStop, "refund over the limit"));
        run.Append(new ToolResultEvent(new ToolResult("c1", ToolResultStatus.Error, "timeout"), "get_order"));
        run.Append(new DecisionEvent("c2", new Decision(DecisionKind.Deny, "policy", "account.never-delete", "1", "never delete")));

        var part = RiskScore.Compute(run, 0, BudgetLimits.Unlimited).Part(RiskScore.Failures);

        part.Points.ShouldBe(20);
        part.Detail.ShouldBe("1 failure, 1 tool error, 1 denied call");
    }

    [Fact]
    public void Compute_MoreFailuresThanTheCap_StopAtThirtyPoints()
    {
        var run = NewRun();
        for (var i = 0; i < 4; i++)
        {
            run.AddFailure(new Failure(FailureClass.Policy, Disposition.SafeStop, $"refund over the limit {i}"));
        }

        RiskScore.Compute(run, 0, BudgetLimits.Unlimited).Part(RiskScore.Failures).Points.ShouldBe(30);
    }

    [Fact]
    public void Compute_NegativePendingApprovals_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => RiskScore.Compute(NewRun(), -1, BudgetLimits.Unlimited));

    private static Run NewRun() => new("run-1", "default", "refund-desk", "1.0.0", _start);

    private static FindingEvent Finding(string type, FindingSeverity severity) =>
        new(new Finding(type, severity, type, [], "test")) { Timestamp = _start };
}
