using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Keel.Storage;

/// <summary>A filtered, paged run listing (<see cref="IRunStore.QueryRunsAsync"/>): runs newest start first (ties by run id,
/// ascending ordinal), those after <see cref="After"/>, carrying every tag of <see cref="Tags"/>, with the customer's sentiment below
/// <see cref="SentimentBelow"/> and of <see cref="Agent"/>, at most <see cref="Limit"/>.</summary>
/// <remarks>Immutable and thread-safe. Filters combine with AND; an absent filter admits every run.</remarks>
public sealed record RunQuery
{
    /// <summary>The most tags one query may require: 10.</summary>
    public const int MaxTags = 10;

    /// <summary>The longest tag a query may name, in characters: 200.</summary>
    public const int MaxTagLength = 200;

    /// <summary>At most this many runs (1–10,000). Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Tags every run returned carries (<see cref="RunListingValues.Tags"/>); empty for no tag filter. At most
    /// <see cref="MaxTags"/>, each 1–<see cref="MaxTagLength"/> characters.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Only runs whose customer sentiment (<see cref="RunListingValues.CustomerSentiment"/>) is strictly below this value,
    /// in [−1, 1]; a run without customer messages never matches. <see langword="null"/> for no sentiment filter.</summary>
    public double? SentimentBelow { get; init; }

    /// <summary>Only runs of this agent; <see langword="null"/> for every agent.</summary>
    public string? Agent { get; init; }

    /// <summary>Only runs after this position in the listing's order (the previous page's <see cref="RunPage.Next"/>);
    /// <see langword="null"/> from the start.</summary>
    public RunCursor? After { get; init; }

    /// <summary>Whether the query filters on what a run's events say (tags, sentiment), not only on its listing line.</summary>
    public bool FiltersOnContent => Tags.Count > 0 || SentimentBelow is not null;

    /// <summary>Checks the query.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit, a tag or the sentiment bound is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1, nameof(Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limit, 10_000, nameof(Limit));
        ArgumentNullException.ThrowIfNull(Tags, nameof(Tags));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Tags.Count, MaxTags, nameof(Tags));
        if (Tags.Any(t => string.IsNullOrEmpty(t) || t.Length > MaxTagLength))
        {
            throw new ArgumentOutOfRangeException(nameof(Tags), $"a tag has 1 to {MaxTagLength} characters");
        }

        if (SentimentBelow is { } below && !(below >= -1 && below <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SentimentBelow), below, "sentiment_below is a number from -1 to 1");
        }
    }

    /// <summary>Whether a run passes the content filters.</summary>
    /// <param name="tags">The run's tags.</param>
    /// <param name="customerSentiment">The run's customer sentiment, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the run carries every tag and its sentiment is below the bound.</returns>
    public bool Admits(IReadOnlyList<string> tags, double? customerSentiment) =>
        Tags.All(t => tags.Contains(t, StringComparer.Ordinal))
        && (SentimentBelow is not { } below || customerSentiment < below);

    /// <summary>Whether a listed run passes the agent and cursor filters.</summary>
    /// <param name="summary">The run's listing line.</param>
    /// <returns><see langword="true"/> when it is of <see cref="Agent"/> and after <see cref="After"/>.</returns>
    public bool AdmitsListing(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return (Agent is null || summary.AgentName == Agent) && (After is null || After.Precedes(summary));
    }
}

/// <summary>A position in the run listing: the start time and id of the last run of a page. Runs are ordered newest start first,
/// then by id ascending (ordinal); a run's start never changes, so a cursor stays valid while runs are added.</summary>
/// <param name="StartedAt">The run's start (compared as an instant).</param>
/// <param name="Id">The run's id.</param>
public sealed record RunCursor(DateTimeOffset StartedAt, string Id)
{
    /// <summary>The cursor of a listed run.</summary>
    /// <param name="summary">The run.</param>
    /// <returns>A cursor after which the listing continues past <paramref name="summary"/>.</returns>
    public static RunCursor Of(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new RunCursor(summary.StartedAt, summary.Id);
    }

    /// <summary>Whether <paramref name="summary"/> comes after this position in the listing's order.</summary>
    /// <param name="summary">A run.</param>
    /// <returns><see langword="true"/> when it started earlier, or at the same instant with a greater id (ordinal).</returns>
    public bool Precedes(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var byStart = summary.StartedAt.UtcTicks.CompareTo(StartedAt.UtcTicks);
        return byStart < 0 || (byStart == 0 && string.CompareOrdinal(summary.Id, Id) > 0);
    }

    /// <summary>The cursor as opaque URL-safe text (base64url of the UTC ticks and the id).</summary>
    /// <returns>Text for a query string; <see cref="TryParse"/> reads it back.</returns>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{StartedAt.UtcTicks}:{Id}")));

    /// <summary>Reads text written by <see cref="Encode"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cursor">The cursor (UTC), or <see langword="null"/> when the text is not one.</param>
    /// <returns>Whether the text is a cursor.</returns>
    public static bool TryParse(string? text, out RunCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 1024)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1
            || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new RunCursor(new DateTimeOffset(ticks, TimeSpan.Zero), decoded[(colon + 1)..]);
        return true;
    }
}

/// <summary>One page of a run listing.</summary>
/// <param name="Runs">The runs, in the listing's order.</param>
/// <param name="Next">Where the next page starts (<see cref="RunQuery.After"/>); <see langword="null"/> when no run is left.</param>
public sealed record RunPage(IReadOnlyList<RunSummary> Runs, RunCursor? Next)
{
    /// <summary>A page from up to <paramref name="limit"/> + 1 matching runs read: the extra one only says whether another page exists.</summary>
    /// <param name="read">The matching runs read, in order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">The page size.</param>
    /// <returns>The first <paramref name="limit"/> runs, with a cursor after the last when more were read.</returns>
    public static RunPage Of(IReadOnlyList<RunSummary> read, int limit)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.Count > limit ? new RunPage([.. read.Take(limit)], RunCursor.Of(read[limit - 1])) : new RunPage(read, null);
    }
}
