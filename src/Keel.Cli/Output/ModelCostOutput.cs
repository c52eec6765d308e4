using System.Globalization;
using Keel.Classification;

namespace Keel.Cli.Output;

/// <summary>One line for what an optional model feature (the classifier, the judge) asked and cost.</summary>
internal static class ModelCostOutput
{
    public static string Line(string feature, ModelCost cost)
    {
        var usage = cost.CallsWithoutUsage > 0 ? $" ({cost.CallsWithoutUsage} calls reported no usage)" : string.Empty;
        var usd = cost.Usd is { } value ? value.ToString("0.######", CultureInfo.InvariantCulture) + " USD" : "USD unknown (no --*-price-in/out)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{feature} {cost.Model}: {cost.Calls} calls, {cost.CacheHits} cache hits, {cost.Failures} failures ({cost.EndpointErrors} endpoint, {cost.MalformedAnswers} malformed, {cost.InvalidAnswers} invalid), {cost.InputTokens} input and {cost.OutputTokens} output tokens{usage}, {usd}");
    }
}
