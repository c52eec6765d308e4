using System.Security.Cryptography;
using Keel.Model;
using Keel.Storage;

namespace Keel.Gateway;

/// <summary>The request rules every live entry point applies before a run is touched: <c>keel serve</c>'s runs and interventions
/// APIs and the in-process gateway (Keel.Sdk.InProcess) check the same names and ids with the same messages.</summary>
public static class LiveRequestRules
{
    /// <summary>The channels a message (the agent's, or an operator's) may name: the customer-facing ones and <see cref="Run.DefaultChannel"/>.</summary>
    public static IReadOnlyList<string> MessageChannelNames { get; } = ["web", "email", "whatsapp", "phone", Run.DefaultChannel];

    /// <summary>The channels a run may be opened on: <see cref="MessageChannelNames"/> and <see cref="Run.McpChannel"/>.</summary>
    public static IReadOnlyList<string> RunChannelNames { get; } = [.. MessageChannelNames, Run.McpChannel];

    /// <summary><see cref="RunChannelNames"/> as a sentence's list, for error messages.</summary>
    public static string RunChannels { get; } = string.Join(", ", RunChannelNames);

    /// <summary><see cref="MessageChannelNames"/> as a sentence's list, for error messages.</summary>
    public static string MessageChannels { get; } = string.Join(", ", MessageChannelNames);

    /// <summary>The longest run id, in characters.</summary>
    public const int MaxRunIdLength = 200;

    /// <summary>What a valid run id looks like, said to the caller that sent an invalid one.</summary>
    public const string RunIdRule = "a run id has 1 to 200 characters, without spaces or / \\ ? # % (it is part of the run's URL)";

    /// <summary>Whether a run may be opened on <paramref name="channel"/> (one of <see cref="RunChannels"/>).</summary>
    /// <param name="channel">The channel named.</param>
    /// <returns><see langword="true"/> for a known channel.</returns>
    public static bool IsRunChannel(string channel) => RunChannelNames.Contains(channel);

    /// <summary>Whether a message may name <paramref name="channel"/> (one of <see cref="MessageChannels"/>).</summary>
    /// <param name="channel">The channel named.</param>
    /// <returns><see langword="true"/> for a known channel.</returns>
    public static bool IsMessageChannel(string channel) => MessageChannelNames.Contains(channel);

    /// <summary>Whether <paramref name="id"/> can be a run id: 1 to <see cref="MaxRunIdLength"/> characters, no control characters, no
    /// white space and none of <c>/ \ ? # %</c> (it is a segment of the run's URL).</summary>
    /// <param name="id">The id the caller asked for.</param>
    /// <returns><see langword="true"/> when valid; otherwise answer with <see cref="RunIdRule"/>.</returns>
    public static bool IsValidRunId(string id) =>
        id.Length is > 0 and <= MaxRunIdLength && !id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '%');

    /// <summary>The id of a run being opened: the one asked for, or a new <c>run_</c> and 16 hex digits (64 random bits) when none
    /// (or only white space) was asked for. Check an asked-for id with <see cref="IsValidRunId"/>.</summary>
    /// <param name="requested">The id in the request, or <see langword="null"/>.</param>
    /// <returns>The run id.</returns>
    public static string NewRunId(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : requested;

    /// <summary>The most model tokens one message may report (10⁹): far above any model's context, and low enough that budget
    /// counters (64-bit) cannot wrap however many messages a window holds.</summary>
    public const long MaxTokensPerMessage = 1_000_000_000;

    /// <summary>The largest model cost one message may report, USD (10⁶); budgets count cost in micro-USD in 64-bit integers.</summary>
    public const decimal MaxCostUsdPerMessage = 1_000_000m;

    /// <summary>What is wrong with a message an agent records, before it reaches the run: content is required; the role is
    /// <c>user</c>, <c>assistant</c> or <c>system</c> (an <c>operator</c> message is written only by an intervention); the usage's
    /// tokens are 0 to <see cref="MaxTokensPerMessage"/> and its cost 0 to <see cref="MaxCostUsdPerMessage"/> USD; the channel, if
    /// named, is one of <see cref="MessageChannels"/>.</summary>
    /// <param name="content">The message text.</param>
    /// <param name="role">The role's wire name.</param>
    /// <param name="usage">The usage reported with it, if any: total, input and output tokens and cost (USD).</param>
    /// <param name="channel">The channel named, if any.</param>
    /// <param name="parsed">The role, when the message is valid.</param>
    /// <returns>The JSON path of the bad field and the sentence to answer with; <see langword="null"/> when the message is valid.</returns>
    public static (string Path, string Message)? MessageProblem(string? content, string? role, (long Tokens, long? InputTokens, long? OutputTokens, decimal CostUsd)? usage,
        string? channel, out MessageRole parsed)
    {
        parsed = default;
        if (content is null)
        {
            return ("$.content", "content is required");
        }

        if (!RunEventJson.TryParseEnumName(role ?? string.Empty, out parsed) || parsed == MessageRole.Operator)
        {
            return ("$.role", $"role '{role}' is not one of user, assistant, system");
        }

        if (usage is { } u)
        {
            foreach (var (field, tokens) in new[] { ("tokens", (long?)u.Tokens), ("input_tokens", u.InputTokens), ("output_tokens", u.OutputTokens) })
            {
                if (tokens is < 0 or > MaxTokensPerMessage)
                {
                    return ($"$.usage.{field}", FormattableString.Invariant($"{field} is a whole number from 0 to {MaxTokensPerMessage:N0}"));
                }
            }

            if (u.CostUsd is < 0 or > MaxCostUsdPerMessage)
            {
                return ("$.usage.cost_usd", FormattableString.Invariant($"cost_usd is from 0 to {MaxCostUsdPerMessage:N0} (USD)"));
            }
        }

        return channel is not null && !IsMessageChannel(channel) ? ("$.channel", $"channel '{channel}' is not one of {MessageChannels}") : null;
    }

    /// <summary>What is wrong with a proposed tool call's envelope, before it reaches the pipeline: a call id of 1 to 200 characters,
    /// a tool name, and parallel index and count of zero or more.</summary>
    /// <param name="id">The call id.</param>
    /// <param name="name">The tool name.</param>
    /// <param name="parallelIndex">Its index among parallel calls, if sent.</param>
    /// <param name="parallelCount">How many calls were made in parallel, if sent.</param>
    /// <returns>The JSON path of the bad field and the sentence to answer with; <see langword="null"/> when the envelope is valid.</returns>
    public static (string Path, string Message)? ToolCallProblem(string? id, string? name, int? parallelIndex, int? parallelCount)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 200)
        {
            return ("$.id", "the call id is required (1 to 200 characters)");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return ("$.name", "the tool name is required");
        }

        return parallelIndex < 0 || parallelCount < 0
            ? (parallelIndex < 0 ? "$.parallel_index" : "$.parallel_count", "parallel_index and parallel_count are zero or more")
            : null;
    }
}
