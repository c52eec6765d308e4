using System.Text.Json.Nodes;
using Keel.Monitors;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Monitors;

public sealed class RelevanceDetectorTests
{
    // BFCL irrelevance_119's function, with its parameter descriptions.
    private static readonly ToolDefinition Sentiment = Tool("""
        {"name": "sentiment_analysis", "description": "Perform sentiment analysis on a given text.",
         "parameters": {"type": "object", "properties": {
           "text": {"type": "string", "description": "The text to analyze."},
           "model": {"type": "string", "description": "The model to use."},
           "language": {"type": "string", "description": "The language of the text."}}}}
        """);

    private static readonly ToolDefinition FinalPrice = Tool("""
        {"name": "calculateFinalPrice", "description": "Final price after a discount.",
         "parameters": {"type": "object", "properties": {"discount_rate": {"type": "number"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}
        """);

    private static ToolDefinition Tool(string function) =>
        ToolCatalogLoader.Parse(new JsonArray(new JsonObject { ["type"] = "function", ["function"] = JsonNode.Parse(function) }), "test").Tools.Single();

    [Fact]
    public void Assess_NoSharedWordAndNoArguments_DoesNotFit()
    {
        var assessment = RelevanceDetector.Assess("Tell me a famous quote about life.", [], Sentiment, "{}");

        (assessment.Applies, assessment.SharedWords.Count, assessment.Values, assessment.GroundedValues).ShouldBe((true, 0, (int?)0, (int?)0));
        assessment.Fits.ShouldBeFalse();
    }

    [Fact]
    public void Assess_NoSharedWordAndInventedValues_DoesNotFit()
    {
        var assessment = RelevanceDetector.Assess("Tell me a famous quote about life.", [], Sentiment, """{"text": "Great product, works well", "model": "vader"}""");

        (assessment.Values, assessment.GroundedValues, assessment.Fits).ShouldBe(((int?)2, (int?)0, false));
    }

    [Theory]
    [InlineData("Analyze the sentiment of my review.")] // sentiment
    [InlineData("What languages do you speak?")] // language(s): the plural s is dropped
    [InlineData("Which models are available?")] // a parameter name
    public void Assess_ARequestSharingAWord_Fits(string request)
    {
        var assessment = RelevanceDetector.Assess(request, [], Sentiment, "{}");

        assessment.SharedWords.ShouldNotBeEmpty();
        assessment.Values.ShouldBeNull(); // the arguments are not looked at once a word is shared
        assessment.Fits.ShouldBeTrue();
    }

    [Fact]
    public void Assess_CamelCaseNamesAndEnumValues_AreVocabulary()
    {
        RelevanceDetector.Assess("What is the final bill?", [], FinalPrice, "{}").SharedWords.ShouldBe(["final"]);
        RelevanceDetector.Assess("Show it in Celsius", [], FinalPrice, "{}").SharedWords.ShouldBe(["celsiu"]);
    }

    [Theory]
    [InlineData("I loved the movie, what a famous quote about life", """{"text": "I loved the movie"}""")] // the value occurs in the request
    [InlineData("What is 25 off a 200 dollar coat?", """{"discount_rate": 25}""")]
    [InlineData("What is 25% off a 200 dollar coat?", """{"discount_rate": 0.25}""")] // a rate written as a percentage
    [InlineData("Tell me about 1,500 coats.", """{"discount_rate": 1500}""")]
    public void Assess_AValueTakenFromTheRequest_IsGroundedAndFits(string request, string arguments)
    {
        var tool = arguments.Contains("text", StringComparison.Ordinal) ? Sentiment : FinalPrice;

        var assessment = RelevanceDetector.Assess(request, [], tool, arguments);

        assessment.GroundedValues.ShouldBe(1);
        assessment.Fits.ShouldBeTrue();
    }

    [Fact]
    public void Assess_AValueFromAnEarlierToolResultOrAssistantMessage_IsGrounded()
    {
        var request = "Tell me a famous quote about life.";
        var arguments = """{"text": "333 - 327"}""";

        RelevanceDetector.Assess(request, [], Sentiment, arguments).Fits.ShouldBeFalse();
        RelevanceDetector.Assess(request, ["""{"balance": 333}"""], Sentiment, arguments).Fits.ShouldBeTrue();
    }

    [Theory]
    [InlineData("我想知道上海目前的天气状况")] // Chinese: no Latin letters
    [InlineData("")] // no user text
    [InlineData("Please, what is it?")] // only stop words
    public void Assess_RequestItCannotCompare_Abstains(string request)
    {
        var assessment = RelevanceDetector.Assess(request, [], Sentiment, "{}");

        assessment.Applies.ShouldBeFalse();
        assessment.Fits.ShouldBeTrue();
    }

    [Fact]
    public void ContentWords_DropStopWordsDigitsAndSingleLettersAndCompareSixLetterPrefixes() =>
        RelevanceDetector.ContentWords("Please calculate the calculations for 2 trips in c").Order(StringComparer.Ordinal)
            .ShouldBe(["calcul", "trip"]);
}
