using Keel.Model;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Collects the steps of one recorded run in message order and attaches each recorded tool result to the call it answers.
/// Shared by the importers so that every format maps turns, parallel calls and results the same way.
/// </summary>
/// <remarks>
/// A message that carries tool calls and no text produces no <see cref="RecordedMessage"/> step, only its
/// <see cref="RecordedToolCall"/> steps; a message with text and tool calls produces the message step first. A result
/// answers the earliest unanswered call with the same id. Reuse with <see cref="Reset"/>; not thread-safe.
/// </remarks>
internal sealed class RecordedStepBuilder
{
    private readonly List<RecordedStep> _steps = new(64);
    private readonly List<int> _unanswered = new(8);

    /// <summary>How many tool calls the run has so far.</summary>
    public int ToolCallCount { get; private set; }

    /// <summary>Clears the builder for the next run.</summary>
    public void Reset()
    {
        _steps.Clear();
        _unanswered.Clear();
        ToolCallCount = 0;
    }

    /// <summary>Maps a recorded role name to a message role.</summary>
    /// <param name="role">The role as recorded: <c>system</c>, <c>user</c> or <c>assistant</c>.</param>
    /// <param name="messageRole">The role.</param>
    /// <returns>Whether the name is a message role (<c>tool</c> is not).</returns>
    public static bool TryParseRole(string role, out MessageRole messageRole)
    {
        switch (role)
        {
            case "assistant":
                messageRole = MessageRole.Assistant;
                return true;
            case "user":
                messageRole = MessageRole.User;
                return true;
            case "system":
                messageRole = MessageRole.System;
                return true;
            default:
                messageRole = default;
                return false;
        }
    }

    /// <summary>Whether a message's text counts as speaking to the other party (not null, empty or white space).</summary>
    /// <param name="content">The message text.</param>
    /// <returns>Whether the turn has text.</returns>
    public static bool HasText(string? content) => !string.IsNullOrWhiteSpace(content);

    /// <summary>Adds a message step unless it only carried tool calls.</summary>
    /// <param name="role">Who wrote it.</param>
    /// <param name="content">The text; <see langword="null"/> becomes empty.</param>
    /// <param name="toolCallCount">How many tool calls the same message carries.</param>
    /// <param name="timestamp">When it was recorded, if known.</param>
    public void AddMessage(MessageRole role, string? content, int toolCallCount, DateTimeOffset? timestamp)
    {
        if (toolCallCount == 0 || HasText(content))
        {
            _steps.Add(new RecordedMessage(role, content ?? string.Empty, timestamp));
        }
    }

    /// <summary>Number of steps added so far.</summary>
    public int StepCount => _steps.Count;

    /// <summary>Attaches model usage to the first step added at or after <paramref name="from"/> (the agent turn's first step).</summary>
    /// <param name="from">The step count before the turn was added.</param>
    /// <param name="usage">The usage.</param>
    public void AttachUsage(int from, ModelUsage usage)
    {
        if (from < _steps.Count)
        {
            _steps[from] = _steps[from] with { Usage = usage };
        }
    }

    /// <summary>Adds a tool call that has no result yet.</summary>
    /// <param name="call">The call with its turn flags set.</param>
    /// <param name="requestor"><c>assistant</c> or <c>user</c>.</param>
    /// <param name="timestamp">When the calling message was recorded, if known.</param>
    public void AddToolCall(ToolCall call, string requestor, DateTimeOffset? timestamp)
    {
        _unanswered.Add(_steps.Count);
        _steps.Add(new RecordedToolCall(call, null, requestor, timestamp));
        ToolCallCount++;
    }

    /// <summary>Attaches a recorded result to the earliest unanswered call with the id.</summary>
    /// <param name="callId">The id the result names.</param>
    /// <param name="status"><see cref="ToolResultStatus.Ok"/> or <see cref="ToolResultStatus.Error"/>.</param>
    /// <param name="output">The result text.</param>
    /// <returns><see langword="false"/> when no unanswered call has that id.</returns>
    public bool TryAnswer(string callId, ToolResultStatus status, string output)
    {
        for (var i = 0; i < _unanswered.Count; i++)
        {
            var index = _unanswered[i];
            var step = (RecordedToolCall)_steps[index];
            if (string.Equals(step.Call.Id, callId, StringComparison.Ordinal))
            {
                _steps[index] = step with { Result = new ToolResult(callId, status, output) };
                _unanswered.RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    /// <summary>The steps so far, as a new array the run can keep.</summary>
    /// <returns>The steps in order.</returns>
    public RecordedStep[] ToArray() => _steps.ToArray();
}
