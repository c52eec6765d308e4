using Keel.Classification;
using Keel.Core.Tests.Classification;
using Keel.Evals;
using Keel.Statistics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

/// <summary>The optional LLM judge (an <see cref="IEvaluator"/>) against a fake chat client: metrics with reasons from a valid answer,
/// no value and an error diagnostic from a bad one, rubrics per intent, and its summaries.</summary>
public sealed class EvalJudgeTests
{
    private static readonly JudgeRubric[] Rubrics = [JudgeRubric.DecisionsJustified, JudgeRubric.CorrectHandoff];

    private static async Task<(EvaluationResult Result, FakeChatClient Client, JsonChat Chat)> EvaluateAsync(string answer)
    {
        var client = new FakeChatClient((answer, 300, 40));
        var chat = new JsonChat("judge-model", new ModelAnswerCache(), new ModelCostCounter());
        var result = await new EvalJudge(chat).EvaluateAsync(
            [new ChatMessage(ChatRole.User, "Cancel my flight, I am jane@example.com")],
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "I transferred you to a human agent.")),
            new ChatConfiguration(client),
            [new JudgeRubricsContext(Rubrics), new KeelDecisionsContext("transfer_to_human_agents({}) -> allow: allowed\n")],
            TestContext.Current.CancellationToken);
        return (result, client, chat);
    }

    [Fact]
    public async Task EvaluateAsync_ValidAnswer_ReturnsANumericAndABooleanMetricWithReasons()
    {
        var (result, client, chat) = await EvaluateAsync("""
            {"metrics": [{"name": "decisions_justified", "value": 4, "reason": "one hold was stricter than needed"},
                         {"name": "correct_handoff", "value": true, "reason": "the agent transferred"}]}
            """);

        var score = result.Get<NumericMetric>("decisions_justified");
        (score.Value, score.Reason).ShouldBe((4.0, "one hold was stricter than needed"));
        var handoff = result.Get<BooleanMetric>("correct_handoff");
        (handoff.Value, handoff.Reason).ShouldBe((true, "the agent transferred"));
        var (messages, options) = client.Requests.ShouldHaveSingleItem();
        options!.ResponseFormat.ShouldBeOfType<ChatResponseFormatJson>();
        messages[1].Text.ShouldContain("customer: Cancel my flight, I am [redacted:email]\nagent: I transferred you to a human agent.\n");
        messages[1].Text.ShouldContain("KEEL'S DECISIONS:\ntransfer_to_human_agents({}) -> allow: allowed");
        chat.Snapshot().ShouldBe(new ModelCost("judge-model", 1, 0, 0, 0, 0, 0, 300, 40, 0, null));
    }

    [Theory]
    [InlineData("""{"metrics": [{"name": "decisions_justified", "value": 4}]}""", "$.metrics has no entry for rubric 'correct_handoff'")]
    [InlineData("""{"metrics": [{"name": "decisions_justified", "value": 7}, {"name": "correct_handoff", "value": true}]}""", "$.metrics[0].value is missing or not an integer from 1 to 5")]
    [InlineData("""{"metrics": [{"name": "tone", "value": 3}]}""", "$.metrics[0].name 'tone' is not a rubric of this case (decisions_justified, correct_handoff)")]
    [InlineData("""{"metrics": [{"name": "decisions_justified", "value": 4}, {"name": "correct_handoff", "value": "yes"}]}""", "$.metrics[1].value is missing or not true or false")]
    public async Task EvaluateAsync_InvalidAnswer_GivesEveryMetricNoValueAndAnErrorDiagnostic(string answer, string reason)
    {
        var (result, _, chat) = await EvaluateAsync(answer);

        result.Get<NumericMetric>("decisions_justified").Value.ShouldBeNull();
        result.Get<BooleanMetric>("correct_handoff").Value.ShouldBeNull();
        result.Metrics.Values.ShouldAllBe(m => m.Diagnostics!.Single().Severity == EvaluationDiagnosticSeverity.Error);
        result.Metrics["correct_handoff"].Diagnostics!.Single().Message.ShouldBe($"the answer is not valid: {reason}");
        chat.Snapshot().InvalidAnswers.ShouldBe(1);
    }

    [Fact]
    public async Task EvaluateAsync_MalformedJson_CountsAMalformedAnswer()
    {
        var (result, _, chat) = await EvaluateAsync("4/5, handoff ok");

        result.Metrics.Values.ShouldAllBe(m => m.Diagnostics!.Single().Message.StartsWith("the answer is not JSON", StringComparison.Ordinal));
        chat.Snapshot().MalformedAnswers.ShouldBe(1);
    }

    [Fact]
    public void For_CaseIntents_ChoosesTheRubrics()
    {
        EvalCase Case(string outcome, params string[] checks) => new() { Id = "c", RunFile = "r.json", ExpectedOutcome = outcome, Checks = checks };

        JudgeRubric.For(Case(EvalOutcomes.Allow, EvalChecks.ExpectedWritesAllowed)).ShouldBe([JudgeRubric.DecisionsJustified]);
        JudgeRubric.For(Case(EvalOutcomes.Stop, EvalChecks.UnexpectedWritesStopped)).ShouldBe([JudgeRubric.DecisionsJustified, JudgeRubric.PolicyCitation]);
        JudgeRubric.For(Case(EvalOutcomes.Allow, EvalChecks.HandoffWhenTransferExpected)).ShouldBe([JudgeRubric.DecisionsJustified, JudgeRubric.CorrectHandoff]);
    }

    [Fact]
    public void Of_ScoresAndAFailure_SummarisesScoredCasesWithIntervals()
    {
        CaseResult Result(string id, params JudgeScore[] scores) => new(id, "airline", 1, "allow", "allow", true, 1, []) { Judge = scores };
        var results = new[]
        {
            Result("a", new JudgeScore("decisions_justified", 5, 1, true, "ok")),
            Result("b", new JudgeScore("decisions_justified", 3, 0.5, true, "one wrong")),
            Result("c", new JudgeScore("decisions_justified", null, null, false, "endpoint down", Failed: true)),
            Result("d"),
        };

        var summary = JudgeRubricSummary.Of(results).ShouldHaveSingleItem();

        (summary.Rubric, summary.Cases, summary.Scored).ShouldBe(("decisions_justified", 3, 2));
        summary.MeanScore.ShouldBe(Bootstrap.MeanInterval([1, 0.5]));
        summary.PassRate.ShouldBe(Wilson.Interval(2, 2));
    }

    [Fact]
    public void Compare_CandidateScoresLower_IsAPairedDifferenceOverCasesScoredUnderBoth()
    {
        CaseResult Result(string id, double? normalized) => new(id, null, null, "allow", "allow", true, 1, [])
        {
            Judge = [new JudgeScore("decisions_justified", normalized is null ? null : 1 + (4 * normalized), normalized, normalized >= 0.5, null, normalized is null)],
        };

        var differences = JudgeRubricSummary.Compare(
            [Result("a", 0.25), Result("b", 0.5), Result("c", null)],
            [Result("a", 1), Result("b", 0.75), Result("c", 1)]);

        var difference = differences.ShouldHaveSingleItem();
        difference.Pairs.ShouldBe(2);
        difference.Difference.ShouldBe(Bootstrap.PairedDifference([0.25, 0.5], [1, 0.75], 0.95));
        difference.Difference.Estimate.ShouldBe(-0.5);
    }
}
