using Keel.Sentiment;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Sentiment;

public sealed class SentimentEvaluatorTests
{
    [Fact]
    public void Compute_KnownSamples_MatchesHandComputedR()
    {
        // cov = 5, var x = 2, var y = 38/3: r = 5 / √(76/3) = 0.993399…
        PearsonCorrelation.Compute([1, 2, 3], [2, 4, 7]).ShouldBe(0.99339926779878, 1e-12);
        PearsonCorrelation.Compute([1, 2, 3], [10, 20, 30]).ShouldBe(1.0, 1e-12);
        PearsonCorrelation.Compute([1, 2, 3], [3, 2, 1]).ShouldBe(-1.0, 1e-12);
    }

    [Fact]
    public void Compute_ConstantOrTooShortSample_IsNaN()
    {
        double.IsNaN(PearsonCorrelation.Compute([1, 1, 1], [1, 2, 3])).ShouldBeTrue();
        double.IsNaN(PearsonCorrelation.Compute([1], [1])).ShouldBeTrue();
        Should.Throw<ArgumentException>(() => PearsonCorrelation.Compute([1, 2], [1]));
    }

    [Fact]
    public void Evaluate_SmallSet_CountsClassesAndComputesPerClassAndAveragedMetrics()
    {
        // VADER: "good" positive, "bad" negative, "the table" neutral (compound 0).
        GroundTruthItem[] items =
        [
            new("1", 2.0, "good", 1),       // positive → positive
            new("2", 1.5, "good", 2),       // positive → positive
            new("3", -2.0, "bad", 3),       // negative → negative
            new("4", 0.0, "the table", 4),  // neutral → neutral
            new("5", -1.0, "the table", 5), // negative → neutral
            new("6", 0.01, "bad", 6),       // neutral → negative
        ];

        var e = SentimentEvaluator.Evaluate(items, SentimentAnalyzer.Default);

        e.Count.ShouldBe(6);
        e.Accuracy.ShouldBe(4 / 6.0, 1e-12);
        e.Confusion.Select(r => r.ToArray()).ShouldBe([new[] { 1, 1, 0 }, new[] { 1, 1, 0 }, new[] { 0, 0, 2 }]);
        var negative = e.Classes[(int)SentimentPolarity.Negative];
        negative.ShouldBe(new ClassMetrics(SentimentPolarity.Negative, 2, 2, 1, 0.5, 0.5, 0.5));
        e.Classes[(int)SentimentPolarity.Positive].F1.ShouldBe(1.0);
        e.MacroF1.ShouldBe((0.5 + 0.5 + 1.0) / 3, 1e-12);
        e.WeightedF1.ShouldBe(((0.5 * 2) + (0.5 * 2) + (1.0 * 2)) / 6, 1e-12);
        e.WeightedRecall.ShouldBe(e.Accuracy, 1e-12);
        e.PearsonR.ShouldBeGreaterThan(0.5);
    }

    [Fact]
    public void Evaluate_HumanThreshold_MovesTextsIntoNeutral()
    {
        GroundTruthItem[] items = [new("1", 0.1, "good", 1), new("2", -0.1, "bad", 2)];

        var paper = SentimentEvaluator.Evaluate(items, SentimentAnalyzer.Default);
        var wide = SentimentEvaluator.Evaluate(items, SentimentAnalyzer.Default, humanThreshold: 0.2);

        paper.Accuracy.ShouldBe(1.0);
        wide.Accuracy.ShouldBe(0.0);
        wide.Classes[(int)SentimentPolarity.Neutral].Support.ShouldBe(2);
    }

    [Fact]
    public void Evaluate_ClassNobodyPredicted_HasZeroPrecisionNotNaN()
    {
        GroundTruthItem[] items = [new("1", 2.0, "good", 1), new("2", 2.0, "good", 2)];

        var e = SentimentEvaluator.Evaluate(items, SentimentAnalyzer.Default);

        e.Classes[(int)SentimentPolarity.Negative].ShouldBe(new ClassMetrics(SentimentPolarity.Negative, 0, 0, 0, 0, 0, 0));
        double.IsNaN(e.PearsonR).ShouldBeTrue();
    }
}
