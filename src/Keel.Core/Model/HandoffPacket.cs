using System.Text.Json.Serialization;

namespace Keel.Model;

/// <summary>What a human gets when a run is escalated or safely stopped, so nobody starts from a blank screen.</summary>
public sealed record HandoffPacket
{
    /// <summary>The run handed over.</summary>
    public required string RunId { get; init; }

    /// <summary>Why the run is handed over (the failure or the agent's transfer).</summary>
    public required string Reason { get; init; }

    /// <summary>The customer's actual ask: their first substantive message.</summary>
    public required string CustomerAsk { get; init; }

    /// <summary>The agent's own summary of the situation (e.g. the transfer summary), if it gave one.</summary>
    public string? AgentUnderstanding { get; init; }

    /// <summary>The last messages of the conversation, oldest first, as <c>role: text</c> lines (at most 12).</summary>
    public required IReadOnlyList<string> ConversationTail { get; init; }

    /// <summary>Tool calls made, in order, as <c>tool(args) → status</c> lines.</summary>
    public required IReadOnlyList<string> ToolCalls { get; init; }

    /// <summary>What failed, one line per failure.</summary>
    public required IReadOnlyList<string> WhatFailed { get; init; }

    /// <summary>The action a human should take next.</summary>
    public required string SuggestedNextAction { get; init; }

    /// <summary>Team the run goes to, e.g. <c>support-tier2</c>.</summary>
    public required string TargetTeam { get; init; }

    /// <summary>Priority from <c>p1</c> (highest) to <c>p3</c>.</summary>
    public required string Priority { get; init; }

    /// <summary>The escalation rule that handed the run over, e.g. <c>sim_locked</c>; <see langword="null"/> when no escalation rule did.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rule { get; init; }

    /// <summary>The customer's emotional state: VADER compound per customer message, oldest first, and the trend, e.g.
    /// <c>declining: +0.40 → 0.00 → −0.62</c>; <see langword="null"/> when not computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SentimentTrend { get; init; }

    /// <summary>What is at stake: the largest amount in the run's tool arguments, tool answers and the customer's words (a number, in
    /// the currency of the record), e.g. <c>largest amount 5000 (customer); 2 amounts in tool calls</c>; <see langword="null"/> when not computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stakes { get; init; }

    /// <summary>The run's tags and signals so far (<c>Monitors.TagTypes</c> names), e.g. <c>topic:cellular_service</c>,
    /// <c>repeated_question</c>; <see langword="null"/> when not computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Sequence numbers of the events the escalation rests on (the messages and tool results its condition read), in run
    /// order; <see langword="null"/> when not computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? Evidence { get; init; }
}
