namespace Keel.Model;

/// <summary>Who wrote a message.</summary>
public enum MessageRole
{
    /// <summary>The customer or calling user.</summary>
    User,

    /// <summary>The agent.</summary>
    Assistant,

    /// <summary>The system prompt or platform.</summary>
    System,

    /// <summary>A human operator who took over.</summary>
    Operator,
}
