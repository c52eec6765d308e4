using System.Globalization;
using Keel.Server.Hosting;
using Keel.Storage;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Runs;

/// <summary>Reads the run listing's filters from the query string: <c>tag</c> (repeatable; every tag must be on the run) and
/// <c>sentiment_below</c> (a number in [−1, 1]; the customer's last message scores strictly below it). A bad value is a 400 naming the
/// parameter (<c>query:tag</c>, <c>query:sentiment_below</c>).</summary>
internal static class RunFilters
{
    /// <summary>Parses the filters.</summary>
    /// <param name="query">The request's query string.</param>
    /// <returns>A query with the filters (limit, cursor and agent left for the caller), or a 400 problem.</returns>
    public static (RunQuery? Query, IResult? Problem) Parse(IQueryCollection query)
    {
        var tags = query["tag"];
        if (tags.Count > RunQuery.MaxTags)
        {
            return (null, Problems.Invalid("query:tag", string.Create(CultureInfo.InvariantCulture, $"at most {RunQuery.MaxTags} tags per listing; {tags.Count} were sent")));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag) || tag.Length > RunQuery.MaxTagLength || tag.Any(char.IsControl))
            {
                return (null, Problems.Invalid("query:tag", string.Create(CultureInfo.InvariantCulture,
                    $"a tag has 1 to {RunQuery.MaxTagLength} characters without control characters, e.g. tag=sentiment_negative or tag=topic:refund")));
            }
        }

        double? below = null;
        var sentiment = query["sentiment_below"];
        if (sentiment.Count > 1)
        {
            return (null, Problems.Invalid("query:sentiment_below", "sentiment_below is given once"));
        }

        if (sentiment.Count == 1)
        {
            if (!double.TryParse(sentiment[0], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || !(value >= -1 && value <= 1))
            {
                return (null, Problems.Invalid("query:sentiment_below", "sentiment_below is a number from -1 to 1 (a VADER compound score), e.g. sentiment_below=-0.05"));
            }

            below = value;
        }

        return (new RunQuery { Tags = [.. tags.Distinct(StringComparer.Ordinal)!], SentimentBelow = below }, null);
    }
}
