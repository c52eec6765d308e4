namespace Keel.Interventions;

/// <summary>An operator's decision on a reply the message gate held; written as the snake_case name (<c>send</c>, <c>edit</c>,
/// <c>replace</c>, <c>discard</c>).</summary>
public enum ReplyDecision
{
    /// <summary>Deliver the agent's draft as it is (an <c>assistant</c> message).</summary>
    Send,

    /// <summary>Deliver the operator's edit of the draft (an <c>assistant</c> message: still the agent's reply, corrected).</summary>
    Edit,

    /// <summary>Deliver the operator's own text instead (an <c>operator</c> message).</summary>
    Replace,

    /// <summary>Deliver nothing.</summary>
    Discard,
}
