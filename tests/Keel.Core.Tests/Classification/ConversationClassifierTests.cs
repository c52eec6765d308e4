using Keel.Classification;
using Keel.Core.Tests.Escalation;
using Keel.Monitors;
using Microsoft.Extensions.AI;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Classification;

/// <summary>The optional LLM classifier against a fake chat client: valid answers become tags with source <c>llm</c>; malformed JSON,
/// unknown labels and endpoint errors are counted failures and never tags; answers are cached by content hash; tokens and USD are counted.</summary>
public sealed class ConversationClassifierTests : IDisposable
{
    private const string Valid = """{"topic": "mobile_data", "topic_confidence": 0.9, "outcome": "resolved", "outcome_confidence": 0.7, "reason": "data works again"}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-classifier-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EscalationKit Conversation(string first = "My mobile data stopped working, write to jane@example.com")
    {
        var kit = new EscalationKit("  []");
        kit.Customer(first);
        kit.Agent_("I turned data roaming on; try again.");
        kit.Customer("It works now, thanks!");
        kit.Complete();
        return kit;
    }

    private static (ConversationClassifier Classifier, JsonChat Chat) Classifier(FakeChatClient client, ModelAnswerCache? cache = null, ModelPrices? prices = null)
    {
        var chat = new JsonChat("test-model", cache ?? new ModelAnswerCache(), new ModelCostCounter(prices));
        return (new ConversationClassifier(client, chat), chat);
    }

    [Fact]
    public async Task ClassifyAsync_ValidAnswer_TagsTopicAndOutcomeWithSourceLlmAndTheModelsConfidence()
    {
        var kit = Conversation();
        var (classifier, chat) = Classifier(new FakeChatClient((Valid, 120, 30)));

        var result = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Failure.ShouldBeNull();
        result.Tags.Select(t => (t.Type, t.Monitor, t.Confidence)).ShouldBe([(TagTypes.Topic("mobile_data"), "llm", 0.9), (TagTypes.OutcomeResolved, "llm", 0.7)]);
        result.Tags[0].Message.ShouldBe("topic mobile_data (model test-model): data works again");
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 1, 0, 0, 0, 0, 0, 120, 30, 0, null));
    }

    [Fact]
    public async Task ClassifyAsync_AnyAnswer_AsksForJsonAtTemperatureZeroWithTheTaxonomyAndRedactedText()
    {
        var kit = Conversation();
        var client = new FakeChatClient((Valid, null, null));
        var (classifier, _) = Classifier(client);

        await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        var (messages, options) = client.Requests.ShouldHaveSingleItem();
        options!.ResponseFormat.ShouldBeOfType<ChatResponseFormatJson>();
        options.ModelId.ShouldBe("test-model");
        options.Temperature.ShouldBe(0);
        messages[0].Text.ShouldBe(ConversationClassifier.Instructions);
        messages[1].Text.ShouldContain("- mms: mms, picture, pictures\n- mobile_data: mobile data, data, internet\n");
        messages[1].Text.ShouldContain("customer: My mobile data stopped working, write to [redacted:email]\nagent: I turned data roaming on; try again.\ncustomer: It works now, thanks!\n");
        messages[1].Text.ShouldNotContain("jane@example.com");
    }

    [Theory]
    [InlineData("data is fine", "the answer is not JSON")]
    [InlineData("[1, 2]", "not one object")]
    public async Task ClassifyAsync_MalformedJson_CountsAMalformedAnswerAndTagsNothing(string answer, string reason)
    {
        var kit = Conversation();
        var (classifier, chat) = Classifier(new FakeChatClient((answer, 50, 5)));

        var result = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Tags.ShouldBeEmpty();
        result.Failure.ShouldNotBeNull().ShouldContain(reason);
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 1, 0, 1, 0, 1, 0, 50, 5, 0, null));
    }

    [Theory]
    [InlineData("""{"topic": "billing", "topic_confidence": 0.9, "outcome": "resolved", "outcome_confidence": 0.7}""", "$.topic 'billing' is not a topic of the taxonomy (mms, mobile_data, none)")]
    [InlineData("""{"topic": "mms", "topic_confidence": 0.9, "outcome": "solved", "outcome_confidence": 0.7}""", "$.outcome 'solved' is not one of resolved, deflected, escalated, abandoned, failed")]
    [InlineData("""{"topic": "mms", "topic_confidence": 1.5, "outcome": "failed", "outcome_confidence": 0.7}""", "$.topic_confidence is missing or not a number from 0 to 1")]
    public async Task ClassifyAsync_UnknownLabelOrBadConfidence_CountsAnInvalidAnswerAndTagsNothing(string answer, string reason)
    {
        var kit = Conversation();
        var (classifier, chat) = Classifier(new FakeChatClient((answer, 50, 5)));

        var result = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Tags.ShouldBeEmpty();
        result.Failure.ShouldBe($"the answer is not valid: {reason}");
        chat.Snapshot().InvalidAnswers.ShouldBe(1);
    }

    [Fact]
    public async Task ClassifyAsync_NoneTopic_TagsOnlyTheOutcome()
    {
        var kit = Conversation();
        var (classifier, _) = Classifier(new FakeChatClient(("""{"topic": "none", "topic_confidence": 0.8, "outcome": "escalated", "outcome_confidence": 1}""", 1, 1)));

        var result = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Tags.Select(t => t.Type).ShouldBe([TagTypes.OutcomeEscalated]);
    }

    [Fact]
    public async Task ClassifyAsync_EndpointThrows_CountsAnEndpointErrorAndTagsNothing()
    {
        var kit = Conversation();
        var (classifier, chat) = Classifier(new FakeChatClient() { Throws = new HttpRequestException("connection refused") });

        var result = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Tags.ShouldBeEmpty();
        result.Failure.ShouldBe("the model endpoint failed: HttpRequestException: connection refused");
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 1, 0, 1, 1, 0, 0, 0, 0, 0, null));
    }

    [Fact]
    public async Task ClassifyAsync_SameConversationTwice_AnswersTheSecondFromTheCacheWithoutARequest()
    {
        var kit = Conversation();
        var client = new FakeChatClient((Valid, 100, 20));
        var (classifier, chat) = Classifier(client);

        var first = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);
        var second = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        second.Tags.Select(t => (t.Type, t.Message, t.Confidence, string.Join(",", t.EventSequences))).ShouldBe(first.Tags.Select(t => (t.Type, t.Message, t.Confidence, string.Join(",", t.EventSequences))));
        client.Requests.Count.ShouldBe(1);
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 1, 1, 0, 0, 0, 0, 100, 20, 0, null));
    }

    [Fact]
    public async Task ClassifyAsync_MalformedThenAskedAgain_AsksAgainBecauseFailuresAreNotCached()
    {
        var kit = Conversation();
        var client = new FakeChatClient(("oops", 10, 1), (Valid, 10, 1));
        var (classifier, chat) = Classifier(client);

        await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);
        var second = await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        second.Tags.Count.ShouldBe(2);
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 2, 0, 1, 0, 1, 0, 20, 2, 0, null));
    }

    [Fact]
    public async Task ClassifyAsync_FileCacheOfAnEarlierProcess_AnswersFromDisk()
    {
        var kit = Conversation();
        var (earlier, _) = Classifier(new FakeChatClient((Valid, 100, 20)), new ModelAnswerCache(_dir));
        await earlier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);
        var client = new FakeChatClient();
        var (later, chat) = Classifier(client, new ModelAnswerCache(_dir));

        var result = await later.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);

        result.Tags.Count.ShouldBe(2);
        client.Requests.ShouldBeEmpty();
        chat.Snapshot().CacheHits.ShouldBe(1);
        Directory.GetFiles(_dir).ShouldHaveSingleItem().ShouldEndWith(".json");
    }

    [Fact]
    public async Task ClassifyAsync_AnotherConversation_MissesTheCache()
    {
        var client = new FakeChatClient((Valid, 1, 1), (Valid, 1, 1));
        var (classifier, chat) = Classifier(client);

        await classifier.ClassifyAsync(Conversation().Run, [], TestContext.Current.CancellationToken);
        await classifier.ClassifyAsync(Conversation("My pictures do not send").Run, [], TestContext.Current.CancellationToken);

        client.Requests.Count.ShouldBe(2);
        chat.Snapshot().CacheHits.ShouldBe(0);
    }

    [Fact]
    public async Task Snapshot_PricesGiven_CountsUsdFromTheReportedTokens()
    {
        var client = new FakeChatClient((Valid, 1_000, 200), (Valid, 3_000, 100), (Valid, null, null));
        var (classifier, chat) = Classifier(client, prices: new ModelPrices(0.40m, 1.60m));

        foreach (var text in (string[])["data is down", "no internet", "data again"])
        {
            var kit = Conversation(text);
            await classifier.ClassifyAsync(kit.Run, kit.Agent.Escalation.Topics.Topics, TestContext.Current.CancellationToken);
        }

        // (4,000 × 0.40 + 300 × 1.60) / 1,000,000 = 0.00208 USD; the third call reported no usage.
        chat.Snapshot().ShouldBe(new ModelCost("test-model", 3, 0, 0, 0, 0, 0, 4_000, 300, 1, 0.00208m));
    }

    [Fact]
    public async Task ClassifyAsync_NoCustomerMessage_SendsNothing()
    {
        var kit = new EscalationKit("  []");
        kit.Agent_("Hello, how can I help?");
        kit.Complete();
        var client = new FakeChatClient();
        var (classifier, chat) = Classifier(client);

        var result = await classifier.ClassifyAsync(kit.Run, [], TestContext.Current.CancellationToken);

        result.ShouldBe(new ClassifierAnswer([], null));
        client.Requests.ShouldBeEmpty();
        chat.Snapshot().Calls.ShouldBe(0);
    }

    [Fact]
    public void Key_AnyFieldChanged_ChangesTheKey()
    {
        var key = ModelAnswerCache.Key("m", "v1", "text");

        key.Length.ShouldBe(64);
        ModelAnswerCache.Key("m", "v2", "text").ShouldNotBe(key);
        ModelAnswerCache.Key("n", "v1", "text").ShouldNotBe(key);
        ModelAnswerCache.Key("m", "v1", "text!").ShouldNotBe(key);
        // Length prefixes: moving a character between fields changes the key.
        ModelAnswerCache.Key("mv", "1", "text").ShouldNotBe(key);
    }
}
