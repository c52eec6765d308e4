using Keel.Knowledge;
using Keel.Model;
using Keel.Replay;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Knowledge;

public sealed class GroundingEvaluatorTests
{
    private static async IAsyncEnumerable<RecordedRun> Runs(params RecordedStep[] steps)
    {
        await Task.Yield();
        yield return new RecordedRun { Id = "r1", Source = new RecordSource("runs.json", 0), StartedAt = DateTimeOffset.UnixEpoch, Steps = steps };
    }

    [Fact]
    public async Task EvaluateAsync_TwoAssistantTurns_MarksTheOffPolicyOneUnsupported()
    {
        var generator = new WordEmbeddingGenerator();
        var kb = new KnowledgeBase(generator, new RetrievalOptions());
        await kb.AddAsync(new KnowledgeDocument("policy", "# Bags\nGold members get three free checked bags in economy.", []), TestContext.Current.CancellationToken);
        var evaluator = new GroundingEvaluator(kb, new GroundingCheck(generator, kb.Options), new FakeTimeProvider());

        var evaluation = await evaluator.EvaluateAsync(
            Runs(
                new RecordedMessage(MessageRole.User, "how many free checked bags for gold members"),
                new RecordedMessage(MessageRole.Assistant, "Gold members get three free checked bags in economy."),
                new RecordedMessage(MessageRole.Assistant, ""),
                new RecordedMessage(MessageRole.Assistant, "Your parrot may fly in the cabin for twenty dollars.")),
            generator,
            null,
            3,
            TestContext.Current.CancellationToken);

        evaluation.Turns.Select(t => (t.StepIndex, t.Assessment.Verdict)).ShouldBe([(1, GroundingVerdict.Supported), (3, GroundingVerdict.Unsupported)]);
        evaluation.UnsupportedShare.ShouldBe(0.5);
        evaluation.Turns[0].Question.ShouldBe("how many free checked bags for gold members");
        evaluation.Turns[0].QuestionBestScore!.Value.ShouldBeGreaterThan(0.55);
        evaluation.EmbeddedTexts.ShouldBe(6);
    }
}
