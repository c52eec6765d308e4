using System.Text.Json;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Gateway;
using Keel.Escalation;
using Keel.Model;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Escalation;

/// <summary>Escalation precision, recall and F1 against "a transfer among the expected actions", on a constructed labelled set and on the
/// shipped telecom sample.</summary>
public sealed class EscalationMetricsTests
{
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement;

    [Theory]
    [InlineData(3, 4, 6, 10, 0.75, 0.5, 0.6)]
    [InlineData(0, 2, 1, 5, 0.0, 0.0, 0.0)]
    public void Scores_LabelledCounts_ArePrecisionRecallAndF1(int tp, int predicted, int expected, int labelled, double precision, double recall, double f1)
    {
        var (p, r, f) = EscalationAccumulator.Scores(tp, predicted, expected, labelled);

        p.ShouldBe(precision);
        r.ShouldBe(recall);
        f!.Value.ShouldBe(f1, 1e-9);
    }

    [Fact]
    public void Scores_NoLabelsOrNoPredictions_AreNull()
    {
        EscalationAccumulator.Scores(0, 3, 0, 0).ShouldBe((null, null, null));
        EscalationAccumulator.Scores(0, 0, 2, 5).ShouldBe((null, 0.0, null));
    }

    [Fact]
    public async Task Build_ConstructedLabelledRuns_CountsTruePositivesFalsePositivesAndUnneededAgentTransfers()
    {
        var policy = EscalationLoader.Parse("""
            escalation: t
            rules:
              - name: asks_for_person
                when: history.asked_for_human
                team: support
                priority: p2
            """, "escalation.yaml").Policy!;
        var agent = GatewayKit.Agent() with { Escalation = policy, Handoff = new HandoffOptions(["transfer_to_human_agents"]) };
        var engine = new ReplayEngine(agent);
        var builder = new ReportBuilder(agent);
        // Expected transfer and escalated (TP); expected and missed (FN); not expected but escalated (FP); neither, but the agent transferred.
        foreach (var (id, text, expected, agentTransfers) in new[]
        {
            ("tp", "Let me speak to a human please.", true, false),
            ("fn", "I want to add a passenger to my trip.", true, false),
            ("fp", "Can I talk to a real person?", false, false),
            ("tn", "What is my baggage allowance?", false, true),
        })
        {
            List<RecordedStep> steps = [new RecordedMessage(MessageRole.User, text)];
            if (agentTransfers)
            {
                steps.Add(new RecordedToolCall(GatewayKit.Call("transfer_to_human_agents", """{"summary": "x"}"""), new ToolResult("x", ToolResultStatus.Ok, "Transfer successful")));
            }

            var recorded = new RecordedRun
            {
                Id = id,
                Source = new RecordSource("constructed.json", 0),
                Domain = "airline",
                StartedAt = GatewayKit.Clock,
                Steps = steps,
                Labels = new RunLabels(1, expected ? [new ExpectedAction("transfer_to_human_agents", NoArguments)] : []),
            };
            var replayed = await engine.ReplayAsync(recorded, TestContext.Current.CancellationToken);
            builder.Add(RunAssessment.Assess(replayed, new HashSet<string>()));
        }

        var m = builder.Build(GatewayKit.Clock, 1, []).Metrics;

        (m.EscalationLabelledRuns, m.EscalationExpected, m.EscalatedRuns, m.EscalationTruePositives).ShouldBe((4, 2, 2, 1));
        (m.EscalationPrecision, m.EscalationRecall, m.EscalationF1).ShouldBe((0.5, 0.5, 0.5));
        m.AgentTransfersNotNeeded.ShouldBe(1);
        m.EscalationByRule["asks_for_person"].ShouldBe(new EscalationRuleStats(2, 1));
        m.Tags["outcome_escalated"].ShouldBe(3);
    }

    [Fact]
    public async Task RunAsync_ShippedTelecomSample_ReportsEscalationTopicAndTagFiguresInRange()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("tau2-telecom"));
        var report = await new ReplayJob(agent, new InMemoryRunStore()) { Parallelism = 2 }
            .RunAsync([RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json")], cancellationToken: TestContext.Current.CancellationToken);

        var m = report.Metrics;
        m.EscalationLabelledRuns.ShouldBe(29);
        new[] { m.EscalationPrecision, m.EscalationRecall, m.EscalationF1, m.TopicAccuracy, m.AgentTransferPrecision }.ShouldAllBe(s => s != null && s >= 0 && s <= 1);
        m.EscalationTruePositives.ShouldBeLessThanOrEqualTo(Math.Min(m.EscalatedRuns, m.EscalationExpected));

        // The figures docs/escalation.md gives for this sample.
        (m.EscalatedRuns, m.EscalationTruePositives, m.EscalationExpected).ShouldBe((8, 8, 9));
        m.EscalationF1!.Value.ShouldBe(0.941, 0.0005);
        m.TopicAccuracy.ShouldBe(1.0);
        m.TopicLabelledRuns.ShouldBe(29);
        m.TopicConfusion!.Values.Sum(row => row.Values.Sum()).ShouldBe(29);
        Keel.Monitors.TagTypes.Outcomes.Sum(t => m.Tags.GetValueOrDefault(t)).ShouldBe(29);
        report.Examples.Handoffs.ShouldContain(h => h.Rule != null && h.SentimentTrend != null && h.Evidence!.Count > 0);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportJsonContext.Default.ReplayReport));
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var name in (string[])["escalation_precision", "escalation_recall", "escalation_f1", "topic_accuracy", "topic_confusion", "tags", "agent_transfers_not_needed"])
        {
            metrics.TryGetProperty(name, out _).ShouldBeTrue(name);
        }
    }
}
