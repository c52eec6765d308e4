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
}
