namespace Keel.Classification;

/// <summary>Prices of a model, in US dollars per million tokens, for <see cref="ModelCostCounter"/>'s USD figure.</summary>
/// <param name="InputUsdPerMillionTokens">USD per 1,000,000 input (prompt) tokens; 0 or more.</param>
/// <param name="OutputUsdPerMillionTokens">USD per 1,000,000 output (completion) tokens; 0 or more.</param>
public sealed record ModelPrices(decimal InputUsdPerMillionTokens, decimal OutputUsdPerMillionTokens)
{
    /// <summary>The price of a number of tokens.</summary>
    /// <param name="inputTokens">Input tokens.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <returns>USD.</returns>
    public decimal Usd(long inputTokens, long outputTokens) =>
        ((inputTokens * InputUsdPerMillionTokens) + (outputTokens * OutputUsdPerMillionTokens)) / 1_000_000m;
}

/// <summary>Counts what an optional model feature (the conversation classifier, the eval judge) asked and what it cost. Thread-safe.</summary>
/// <param name="prices">The model's prices, or <see langword="null"/> when unknown (then <see cref="ModelCost.Usd"/> is null).</param>
public sealed class ModelCostCounter(ModelPrices? prices = null)
{
    private long _calls;
    private long _cacheHits;
    private long _endpointErrors;
    private long _malformedAnswers;
    private long _invalidAnswers;
    private long _inputTokens;
    private long _outputTokens;
    private long _callsWithoutUsage;

    /// <summary>The prices, or <see langword="null"/>.</summary>
    public ModelPrices? Prices => prices;

    internal void Call() => Interlocked.Increment(ref _calls);

    internal void CacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void EndpointError() => Interlocked.Increment(ref _endpointErrors);

    internal void MalformedAnswer() => Interlocked.Increment(ref _malformedAnswers);

    internal void InvalidAnswer() => Interlocked.Increment(ref _invalidAnswers);

    internal void Usage(long? inputTokens, long? outputTokens)
    {
        if (inputTokens is null && outputTokens is null)
        {
            Interlocked.Increment(ref _callsWithoutUsage);
            return;
        }

        Interlocked.Add(ref _inputTokens, inputTokens ?? 0);
        Interlocked.Add(ref _outputTokens, outputTokens ?? 0);
    }

    /// <summary>The counts so far.</summary>
    /// <param name="model">The model id to report them under.</param>
    /// <returns>A snapshot.</returns>
    public ModelCost Snapshot(string model)
    {
        var input = Interlocked.Read(ref _inputTokens);
        var output = Interlocked.Read(ref _outputTokens);
        var endpoint = Interlocked.Read(ref _endpointErrors);
        var malformed = Interlocked.Read(ref _malformedAnswers);
        var invalid = Interlocked.Read(ref _invalidAnswers);
        return new ModelCost(model, Interlocked.Read(ref _calls), Interlocked.Read(ref _cacheHits), endpoint + malformed + invalid, endpoint, malformed, invalid,
            input, output, Interlocked.Read(ref _callsWithoutUsage), prices is null ? null : Math.Round(prices.Usd(input, output), 6));
    }
}

/// <summary>What a model feature asked and what it cost (<see cref="ModelCostCounter"/>).</summary>
/// <param name="Model">The model id.</param>
/// <param name="Calls">Requests sent to the endpoint (cache hits not included).</param>
/// <param name="CacheHits">Questions answered from the cache (no request, no tokens).</param>
/// <param name="Failures">Questions that produced nothing: <paramref name="EndpointErrors"/> + <paramref name="MalformedAnswers"/> + <paramref name="InvalidAnswers"/>.</param>
/// <param name="EndpointErrors">Requests the endpoint failed (HTTP error, refused connection, timeout).</param>
/// <param name="MalformedAnswers">Answers that were not one JSON object.</param>
/// <param name="InvalidAnswers">JSON answers with an unknown label, a missing field or a value out of range.</param>
/// <param name="InputTokens">Input tokens the endpoint reported (<c>ChatResponse.Usage</c>).</param>
/// <param name="OutputTokens">Output tokens the endpoint reported.</param>
/// <param name="CallsWithoutUsage">Answered requests whose response reported no token usage (their tokens are not in the totals).</param>
/// <param name="Usd">The cost in US dollars from the configured prices; <see langword="null"/> when no prices were given.</param>
public sealed record ModelCost(string Model, long Calls, long CacheHits, long Failures, long EndpointErrors, long MalformedAnswers, long InvalidAnswers,
    long InputTokens, long OutputTokens, long CallsWithoutUsage, decimal? Usd);
