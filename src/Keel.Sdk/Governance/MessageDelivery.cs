namespace Keel.Sdk.Governance;

/// <summary>Whether an assistant message the SDK recorded may reach the customer.</summary>
/// <remarks>The gateway's message endpoint answers <c>deliver</c> or <c>held</c> (docs/intervention.md);
/// <see cref="KeelRunSession.RecordAssistantAsync"/> maps that answer here.</remarks>
public enum MessageDelivery
{
    /// <summary>The message goes to the customer as it is.</summary>
    Deliver,

    /// <summary>An operator holds the message (a paused run); the customer does not see it until they release it.</summary>
    Held,
}
