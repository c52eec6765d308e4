using System.Text.Json.Serialization;

namespace Keel.Model;

/// <summary>The model usage of producing a message, as the agent reported it (<c>usage</c> of <c>POST /v1/runs/{run_id}/messages</c>;
/// the SDK takes it from <c>ChatResponse.Usage</c>). Cost and budget features read it from the run's message events.</summary>
/// <param name="Tokens">Tokens counted against the budgets: the reported total (input + output when no total was given).</param>
/// <param name="CostUsd">Model cost in USD; 0 when not reported.</param>
/// <remarks>Stored on <see cref="MessageEvent.Usage"/>; the input and output counts are left out of the stored event when not reported.</remarks>
public sealed record MessageUsage(long Tokens, decimal CostUsd)
{
    /// <summary>Input (prompt) tokens, when the model reported them; <see langword="null"/> (not written) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InputTokens { get; init; }

    /// <summary>Output (completion) tokens, when the model reported them; <see langword="null"/> (not written) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OutputTokens { get; init; }
}
