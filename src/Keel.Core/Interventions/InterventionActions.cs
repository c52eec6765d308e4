namespace Keel.Interventions;

/// <summary>The <see cref="Model.InterventionEvent.Action"/> names, as stored and shown (docs/intervention.md).</summary>
public static class InterventionActions
{
    /// <summary>An operator paused the run: the agent's next replies are held.</summary>
    public const string Pause = "pause";

    /// <summary>An operator took the conversation over: replies held, tool calls refused, the operator writes.</summary>
    public const string Takeover = "takeover";

    /// <summary>An operator handed the run back to the agent.</summary>
    public const string Release = "release";

    /// <summary>The message gate held a reply of the agent (its draft is in the event, not in the conversation).</summary>
    public const string Hold = "hold";

    /// <summary>An operator decided on a held reply: send, edit, replace or discard.</summary>
    public const string Decision = "decision";
}
