namespace Keel.Sentiment;

/// <summary>Precision, recall and F1 of one class in a three-class evaluation.</summary>
/// <param name="Class">The class.</param>
/// <param name="Support">How many texts the human means put in this class.</param>
/// <param name="Predicted">How many texts VADER put in this class.</param>
/// <param name="Correct">How many texts both put in this class.</param>
/// <param name="Precision">Correct / predicted, in [0, 1]; 0 when nothing was predicted.</param>
/// <param name="Recall">Correct / support, in [0, 1]; 0 when the class is empty.</param>
/// <param name="F1">The harmonic mean of precision and recall, in [0, 1]; 0 when both are 0.</param>
public sealed record ClassMetrics(SentimentPolarity Class, int Support, int Predicted, int Correct, double Precision, double Recall, double F1);

/// <summary>How well VADER's scores match a human-rated ground-truth set, measured as the paper does (Hutto &amp; Gilbert, ICWSM
/// 2014, section 4 and Table 4): the Pearson correlation of the compound score with the human mean, and three-class
/// (positive, neutral, negative) classification metrics.</summary>
/// <param name="Count">The number of texts scored.</param>
/// <param name="PearsonR">The Pearson product-moment correlation between the compound scores and the human means, in [−1, 1];
/// NaN for fewer than two texts or when either side does not vary.</param>
/// <param name="Accuracy">The share of texts whose VADER class equals their human class, in [0, 1].</param>
/// <param name="Classes">Per-class metrics, in the order negative, neutral, positive.</param>
/// <param name="Confusion">Counts of texts by human class (row) and VADER class (column), both in the order negative, neutral,
/// positive: 3 rows of 3.</param>
/// <param name="MacroPrecision">The unweighted mean of the per-class precisions.</param>
/// <param name="MacroRecall">The unweighted mean of the per-class recalls.</param>
/// <param name="MacroF1">The unweighted mean of the per-class F1 scores.</param>
/// <param name="WeightedPrecision">The mean of the per-class precisions weighted by support.</param>
/// <param name="WeightedRecall">The mean of the per-class recalls weighted by support (equal to <paramref name="Accuracy"/>).</param>
/// <param name="WeightedF1">The mean of the per-class F1 scores weighted by support.</param>
/// <param name="HumanThreshold">The threshold used on the human mean (scale −4 … +4).</param>
/// <param name="CompoundThreshold">The threshold used on VADER's compound score (scale −1 … +1).</param>
public sealed record SentimentEvaluation(
    int Count,
    double PearsonR,
    double Accuracy,
    IReadOnlyList<ClassMetrics> Classes,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    double WeightedPrecision,
    double WeightedRecall,
    double WeightedF1,
    double HumanThreshold,
    double CompoundThreshold);
