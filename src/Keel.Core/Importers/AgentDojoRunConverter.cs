using System.Text.Json;
using Keel.Model;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>Converts one AgentDojo run record into a <see cref="RecordedRun"/>; see <see cref="AgentDojoImporter"/> for the mapping.
/// One converter per file read; not thread-safe.</summary>
/// <param name="file">The file path as given.</param>
internal sealed class AgentDojoRunConverter(string file)
{
    private readonly RecordedStepBuilder _steps = new();

    /// <summary>Converts one record.</summary>
    /// <param name="record">The record (one line).</param>
    /// <param name="index">0-based line index.</param>
    /// <returns>The run.</returns>
    /// <exception cref="RecordFormatException">The record's structure is broken.</exception>
    public RecordedRun Convert(JsonElement record, int index)
    {
        var at = new RecordPath("$", -1);
        JsonFields.RequireObject(record, at);
        var suite = JsonFields.RequireString(record, "suite_name", at);
        var model = JsonFields.RequireString(record, "pipeline_name", at);
        var userTask = JsonFields.RequireString(record, "user_task_id", at);
        var attack = JsonFields.OptionalString(record, "attack_type", at);
        var injectionTask = JsonFields.OptionalString(record, "injection_task_id", at);
        var utility = JsonFields.OptionalBoolean(record, "utility", at) ?? false;
        var security = JsonFields.OptionalBoolean(record, "security", at);
        var injections = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.OptionalObject(record, "injections", at, out var planted))
        {
            foreach (var slot in planted.EnumerateObject())
            {
                injections[slot.Name] = slot.Value.ValueKind == JsonValueKind.String
                    ? slot.Value.GetString()!
                    : throw JsonFields.Mismatch(at.Then("injections"), slot.Name, "a string", slot.Value);
            }
        }

        _steps.Reset();
        var messages = JsonFields.RequireArray(record, "messages", at);
        var position = 0;
        foreach (var message in messages.EnumerateArray())
        {
            ReadMessage(message, at.Item("messages", position++));
        }

        return new RecordedRun
        {
            Id = $"agentdojo-{model}-{suite}-{userTask}-{attack ?? "none"}-{injectionTask ?? "none"}",
            Source = new RecordSource(file, index),
            Domain = suite,
            AgentModel = model,
            StartedAt = DomainClock.Unknown,
            Steps = _steps.ToArray(),
            Labels = new RunLabels(utility ? 1 : 0, ExpectedActions: null, TerminationReason: null, TaskId: userTask)
            {
                Attack = new AttackLabels(userTask, attack, attack is null ? null : injectionTask, injections, attack is null ? null : security == true, utility),
            },
        };
    }

    private void ReadMessage(JsonElement message, in RecordPath at)
    {
        JsonFields.RequireObject(message, at);
        var role = JsonFields.RequireString(message, "role", at, "a string (system, user, assistant or tool)");
        var content = JsonFields.OptionalString(message, "content", at);
        if (role == "tool")
        {
            var callId = JsonFields.OptionalId(message, "tool_call_id", at)
                ?? throw new RecordFormatException(at.Format("tool_call_id"), "expected the id of the tool call this message answers, found null");
            var error = JsonFields.OptionalString(message, "error", at);
            var status = error is null ? ToolResultStatus.Ok : ToolResultStatus.Error;
            if (!_steps.TryAnswer(callId, status, error ?? content ?? string.Empty))
            {
                throw new RecordFormatException(at.Format("tool_call_id"), $"expected the id of an earlier unanswered tool call of this run, found '{callId}'");
            }

            return;
        }

        if (!RecordedStepBuilder.TryParseRole(role, out var messageRole))
        {
            throw new RecordFormatException(at.Format("role"), $"expected system, user, assistant or tool, found '{role}'");
        }

        var count = JsonFields.OptionalArray(message, "tool_calls", at, out var calls) ? calls.GetArrayLength() : 0;
        _steps.AddMessage(messageRole, content, count, timestamp: null);
        var hasText = RecordedStepBuilder.HasText(content);
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var call = calls[i];
            var callAt = at.Item("tool_calls", position++);
            JsonFields.RequireObject(call, callAt);
            var id = JsonFields.OptionalId(call, "id", callAt) ?? $"call-{_steps.ToolCallCount}";
            var name = JsonFields.RequireString(call, "function", callAt);
            var args = JsonFields.OptionalObject(call, "args", callAt, out var argsObject) ? argsObject.GetRawText() : "{}";
            _steps.AddToolCall(new ToolCall(id, name, args, i, count, hasText), messageRole == MessageRole.User ? "user" : "assistant", timestamp: null);
        }
    }
}
