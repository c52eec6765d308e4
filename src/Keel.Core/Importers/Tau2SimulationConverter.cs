using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keel.Model;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Converts one tau2-bench simulation (<c>$.simulations[i]</c>) into a <see cref="RecordedRun"/>, using the file's
/// <c>info</c> (domain, agent model, policy clock) and task labels. One converter per file read; not thread-safe.
/// </summary>
/// <remarks>
/// Message shape (tau2-bench <c>Message</c>): <c>role</c>, <c>content</c>, <c>tool_calls[] {id, name, arguments: object,
/// requestor}</c>, <c>timestamp</c>; tool results are <c>role: "tool"</c> messages with the call's <c>id</c> and an
/// <c>error</c> flag (absent in ToolOrchestra submissions, where content starting with <c>Error</c> means an error).
/// Arguments are re-serialised as compact JSON text (no insignificant white space; non-ASCII text kept as is).
/// </remarks>
internal sealed class Tau2SimulationConverter : IDisposable
{
    private static readonly JsonWriterOptions _compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _file;
    private readonly RecordedStepBuilder _steps = new();
    private readonly ArrayBufferWriter<byte> _arguments = new(512);
    private readonly Utf8JsonWriter _argumentsWriter;
    private string? _domain;
    private string? _agentModel;
    private DateTimeOffset? _policyClock;

    /// <summary>Creates a converter for one file.</summary>
    /// <param name="file">The file path as given.</param>
    public Tau2SimulationConverter(string file)
    {
        _file = file;
        _argumentsWriter = new Utf8JsonWriter(_arguments, _compact);
    }

    /// <summary>The labels of the file's tasks.</summary>
    public Tau2TaskLabels Tasks { get; } = new();

    /// <summary>Whether the file's <c>info</c> has been read.</summary>
    public bool InfoLoaded { get; private set; }

    /// <summary>Reads <c>$.info</c>: <c>environment_info.domain_name</c>, <c>environment_info.policy</c> (for the clock) and <c>agent_info.llm</c>.</summary>
    /// <param name="info">The info object.</param>
    /// <exception cref="RecordFormatException">One of these fields has the wrong JSON type.</exception>
    public void ReadInfo(JsonElement info)
    {
        var at = new RecordPath("$.info", -1);
        JsonFields.RequireObject(info, at);
        if (JsonFields.OptionalObject(info, "environment_info", at, out var environment))
        {
            var environmentAt = at.Then("environment_info");
            _domain = JsonFields.OptionalString(environment, "domain_name", environmentAt);
            var policy = JsonFields.OptionalString(environment, "policy", environmentAt);
            _policyClock = DomainClock.TryFindStatedTime(policy, out var clock) ? clock : null;
        }

        if (JsonFields.OptionalObject(info, "agent_info", at, out var agent))
        {
            _agentModel = JsonFields.OptionalString(agent, "llm", at.Then("agent_info"));
        }

        InfoLoaded = true;
    }

    /// <summary>Converts one simulation.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <param name="index">0-based index in <c>$.simulations</c>.</param>
    /// <returns>The run.</returns>
    /// <exception cref="RecordFormatException">The simulation's structure, or its task's actions, are broken.</exception>
    public RecordedRun Convert(JsonElement simulation, int index)
    {
        var at = new RecordPath("$.simulations", index);
        JsonFields.RequireObject(simulation, at);
        var id = JsonFields.RequireString(simulation, "id", at);
        var taskId = JsonFields.OptionalId(simulation, "task_id", at);
        var termination = JsonFields.OptionalString(simulation, "termination_reason", at);
        var hasRewardInfo = JsonFields.OptionalObject(simulation, "reward_info", at, out var rewardInfo);
        var reward = hasRewardInfo ? JsonFields.OptionalNumber(rewardInfo, "reward", at.Then("reward_info")) : null;
        var messages = JsonFields.RequireArray(simulation, "messages", at);

        // The grader's own action checks name the expected actions of this very simulation. When they disagree with the
        // task the run's task_id points at (the ToolOrchestra submissions carry task ids of other tasks), they win.
        var expected = Tasks.Find(taskId);
        if (expected is not null && hasRewardInfo && Tau2TaskLabels.FromActionChecks(rewardInfo) is { } checkedActions
            && !checkedActions.Select(a => a.ToolName).SequenceEqual(expected.Select(a => a.ToolName), StringComparer.Ordinal))
        {
            expected = checkedActions;
        }

        _steps.Reset();
        DateTimeOffset? firstTimestamp = null;
        var position = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var timestamp = ReadMessage(message, at.Item("messages", position++));
            firstTimestamp ??= timestamp;
        }

        return new RecordedRun
        {
            Id = id,
            Source = new RecordSource(_file, index),
            Domain = _domain,
            AgentModel = _agentModel,
            StartedAt = _policyClock ?? firstTimestamp ?? DomainClock.Unknown,
            Steps = _steps.ToArray(),
            Labels = new RunLabels(reward, expected, termination, taskId),
        };
    }

    /// <inheritdoc />
    public void Dispose() => _argumentsWriter.Dispose();

    // The agent's model usage (tau2 assistant messages: usage.prompt_tokens + usage.completion_tokens, cost in USD) feeds the
    // run's token and cost budgets; the simulated customer's usage is not the agent's and is left out.
    private void AttachUsage(JsonElement message, MessageRole role, int turnStart)
    {
        if (role != MessageRole.Assistant || !message.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        long tokens = 0;
        foreach (var name in (string[])["prompt_tokens", "completion_tokens"])
        {
            if (usage.TryGetProperty(name, out var value) && value.TryGetInt64(out var n))
            {
                tokens += n;
            }
        }

        var cost = message.TryGetProperty("cost", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetDecimal(out var d) ? d : 0m;
        _steps.AttachUsage(turnStart, new ModelUsage(tokens, cost));
    }

    private DateTimeOffset? ReadMessage(JsonElement message, in RecordPath at)
    {
        JsonFields.RequireObject(message, at);
        var role = JsonFields.RequireString(message, "role", at, "a string (user, assistant or tool)");
        var content = JsonFields.OptionalString(message, "content", at);
        var timestamp = ReadTimestamp(message, at);
        if (role == "tool")
        {
            var callId = JsonFields.RequireString(message, "id", at);
            var error = JsonFields.OptionalBoolean(message, "error", at)
                ?? (content is not null && content.StartsWith("Error", StringComparison.Ordinal));
            if (!_steps.TryAnswer(callId, error ? ToolResultStatus.Error : ToolResultStatus.Ok, content ?? string.Empty))
            {
                throw new RecordFormatException(at.Format("id"), $"expected the id of an earlier unanswered tool call of this run, found '{callId}'");
            }

            return timestamp;
        }

        if (!RecordedStepBuilder.TryParseRole(role, out var messageRole))
        {
            throw new RecordFormatException(at.Format("role"), $"expected user, assistant, system or tool, found '{role}'");
        }

        var count = JsonFields.OptionalArray(message, "tool_calls", at, out var calls) ? calls.GetArrayLength() : 0;
        var turnStart = _steps.StepCount;
        _steps.AddMessage(messageRole, content, count, timestamp);
        if (count == 0)
        {
            AttachUsage(message, messageRole, turnStart);
            return timestamp;
        }

        var hasText = RecordedStepBuilder.HasText(content);
        var defaultRequestor = messageRole == MessageRole.User ? "user" : "assistant";
        var position = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callAt = at.Item("tool_calls", position);
            JsonFields.RequireObject(call, callAt);
            var id = JsonFields.RequireString(call, "id", callAt);
            var name = JsonFields.RequireString(call, "name", callAt);
            var arguments = JsonFields.RequireObject(call, "arguments", callAt);
            var requestor = ReadRequestor(call, callAt) ?? defaultRequestor;
            _steps.AddToolCall(new ToolCall(id, name, Compact(arguments), position, count, hasText), requestor, timestamp);
            position++;
        }

        AttachUsage(message, messageRole, turnStart);
        return timestamp;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement message, in RecordPath at)
    {
        var text = JsonFields.OptionalString(message, "timestamp", at);
        if (text is null)
        {
            return null;
        }

        return DomainClock.TryParseTimestamp(text, out var timestamp)
            ? timestamp
            : throw new RecordFormatException(at.Format("timestamp"), $"expected an ISO 8601 date and time such as 2025-08-01T15:55:25.386355, found '{text}'");
    }

    // Requestors repeat on every call: return the literals instead of allocating a string per call.
    private static string? ReadRequestor(JsonElement call, in RecordPath at)
    {
        if (call.TryGetProperty("requestor", out var value) && value.ValueKind == JsonValueKind.String)
        {
            if (value.ValueEquals("assistant"))
            {
                return "assistant";
            }

            if (value.ValueEquals("user"))
            {
                return "user";
            }
        }

        return JsonFields.OptionalString(call, "requestor", at);
    }

    private string Compact(JsonElement arguments)
    {
        _arguments.ResetWrittenCount();
        _argumentsWriter.Reset(_arguments);
        arguments.WriteTo(_argumentsWriter);
        _argumentsWriter.Flush();
        return Encoding.UTF8.GetString(_arguments.WrittenSpan);
    }
}
