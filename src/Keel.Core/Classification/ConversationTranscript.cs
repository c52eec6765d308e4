using System.Text;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Classification;

/// <summary>The text of a run's conversation as a model feature sends it: the customer's and the agent's messages in run order,
/// each redacted (<see cref="Redactor"/>) so no secret, card number, e-mail address or phone number leaves Keel.</summary>
public static class ConversationTranscript
{
    /// <summary>The customer (<see cref="MessageRole.User"/>) and agent (<see cref="MessageRole.Assistant"/>) messages with text.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The messages in run order.</returns>
    public static IReadOnlyList<MessageEvent> Messages(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return [.. run.Events.OfType<MessageEvent>().Where(m => m.Role is MessageRole.User or MessageRole.Assistant && !string.IsNullOrWhiteSpace(m.Content))];
    }

    /// <summary>The messages as lines <c>customer: …</c> and <c>agent: …</c>, redacted.</summary>
    /// <param name="messages">The messages (<see cref="Messages"/>).</param>
    /// <param name="redactor">The redactor.</param>
    /// <returns>One line per message (line breaks inside a message become spaces).</returns>
    public static string Render(IReadOnlyList<MessageEvent> messages, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(redactor);
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(message.Role == MessageRole.User ? "customer: " : "agent: ")
                .Append(redactor.Redact(message.Content).ReplaceLineEndings(" ").Trim())
                .Append('\n');
        }

        return text.ToString();
    }
}
