namespace Keel.Sdk.Governance;

/// <summary>Whether an assistant message the SDK recorded may reach the customer.</summary>
/// <remarks>The extension point of Keel's message gate (docs/sdk.md): today the gateway's message endpoint answers only the
/// event's sequence, so every message is <see cref="Deliver"/>. When the gateway answers <c>deliver</c> or <c>held</c>,
/// <see cref="KeelRunSession.RecordAssistantAsync"/> maps the answer here and the chat client acts on <see cref="Held"/>.</remarks>
public enum MessageDelivery
{
    /// <summary>The message goes to the customer as it is.</summary>
    Deliver,

    /// <summary>An operator holds the message (a paused run); the customer does not see it until they release it.</summary>
    Held,
}
