using Keel.Bundles;
using Keel.Classification;
using Keel.Core.Tests.Bundles;
using Keel.Monitors;
using Keel.Replay;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Classification;

/// <summary>The classifier as <c>keel replay</c>'s post-pass on the shipped telecom sample, with a fake model that always answers
/// <c>mms</c>: its tags sit beside the deterministic ones, and report.json carries both topic accuracies and the cost counter.</summary>
public sealed class ReplayClassifierTests
{
    [Fact]
    public async Task RunAsync_ClassifierOn_ReportsLlmTopicAccuracyBesideTheDeterministicOneAndTheCost()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("tau2-telecom"));
        var client = new FakeChatClient { Responder = _ => """{"topic": "mms", "topic_confidence": 0.6, "outcome": "resolved", "outcome_confidence": 0.5}""" };
        var chat = new JsonChat("fake-model", new ModelAnswerCache(), new ModelCostCounter(new ModelPrices(1m, 2m)));
        var store = new InMemoryRunStore();
        var report = await new ReplayJob(agent, store) { Parallelism = 2, Classifier = new ConversationClassifier(client, chat) }
            .RunAsync([RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json")], cancellationToken: TestContext.Current.CancellationToken);

        var m = report.Metrics;
        m.TopicAccuracy.ShouldBe(1.0);
        m.LlmTopicLabelledRuns.ShouldBe(29);
        m.LlmTopicAccuracy.ShouldBe(m.TopicConfusion!["mms"].Values.Sum() / 29.0);
        m.LlmTopicAccuracy!.Value.ShouldBeLessThan(1);
        TagTypes.Outcomes.Sum(t => m.Tags.GetValueOrDefault(t)).ShouldBe(29);
        var cost = report.Classifier.ShouldNotBeNull();
        cost.Calls.ShouldBe(client.Requests.Count);
        (cost.Failures, cost.CacheHits, cost.InputTokens, cost.OutputTokens).ShouldBe((0L, 0L, 10L * cost.Calls, 2L * cost.Calls));
        cost.Usd.ShouldBe(((10m * cost.Calls * 1m) + (2m * cost.Calls * 2m)) / 1_000_000m);

        // Stored with the run: the LLM tags beside exactly one deterministic outcome tag.
        var tagged = 0;
        foreach (var summary in await store.ListRunsAsync("default", 100, TestContext.Current.CancellationToken))
        {
            var run = (await store.GetRunAsync("default", summary.Id, TestContext.Current.CancellationToken))!;
            var findings = run.Events.OfType<Keel.Model.FindingEvent>().Select(f => f.Finding).ToList();
            findings.Count(f => f.Monitor == "conversation_tags" && TagTypes.Outcomes.Contains(f.Type)).ShouldBe(1);
            var llm = findings.Where(ConversationClassifier.IsLlmTag).Select(f => f.Type).ToList();
            if (llm.Count > 0)
            {
                llm.ShouldBe([TagTypes.Topic("mms"), TagTypes.OutcomeResolved]);
                tagged++;
            }
        }

        tagged.ShouldBe(client.Requests.Count);
    }
}
