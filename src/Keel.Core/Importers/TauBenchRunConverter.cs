using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Model;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Converts one tau-bench run record (an element of the file's top-level array, OpenAI chat format) into a
/// <see cref="RecordedRun"/>. One converter per file read; not thread-safe.
/// </summary>
/// <remarks>
/// Record shape (sierra-research/tau-bench <c>historical_trajectories/*.json</c>): <c>task_id</c>, <c>trial</c>,
/// <c>reward</c>, <c>info.task.actions[] {name, kwargs}</c>, <c>traj[] {role, content, tool_calls[] {id, function
/// {name, arguments: JSON string}}, tool_call_id}</c>. A tool result whose content starts with <c>Error</c> is an error,
/// as the tau-bench environment reports failures as <c>"Error: ..."</c>. Tool names and argument text are passed through
/// unchecked: malformed arguments and unknown tools are agent behaviour for the pipeline to judge.
/// </remarks>
internal sealed partial class TauBenchRunConverter
{
    private static readonly string[] _knownDomains = ["airline", "retail"];

    private readonly string _file;
    private readonly string? _fileDomain;
    private readonly string? _fileModel;
    private readonly RecordedStepBuilder _steps = new();
    private string? _lastPrompt;
    private DateTimeOffset _lastPromptClock = DomainClock.Unknown;
    private string? _lastPromptDomain;

    /// <summary>Creates a converter for one file; the domain and agent model come from a file name such as <c>gpt-4o-airline.json</c>.</summary>
    /// <param name="file">The file path as given.</param>
    public TauBenchRunConverter(string file)
    {
        _file = file;
        var name = Path.GetFileNameWithoutExtension(file);
        var dash = name.LastIndexOf('-');
        var suffix = dash < 0 ? name : name[(dash + 1)..];
        if (Array.IndexOf(_knownDomains, suffix) >= 0)
        {
            _fileDomain = suffix;
            _fileModel = dash > 0 ? name[..dash] : null;
        }
    }

    /// <summary>Converts one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="index">0-based index of the record in the file.</param>
    /// <returns>The run.</returns>
    /// <exception cref="RecordFormatException">The record's structure is broken.</exception>
    public RecordedRun Convert(JsonElement record, int index)
    {
        var at = new RecordPath("$", index);
        JsonFields.RequireObject(record, at);
        var taskId = JsonFields.RequireInt32(record, "task_id", at);
        var trial = JsonFields.RequireInt32(record, "trial", at);
        var reward = JsonFields.OptionalNumber(record, "reward", at);
        var expected = ReadExpectedActions(record, at);
        var traj = JsonFields.RequireArray(record, "traj", at);

        _steps.Reset();
        string? prompt = null;
        var position = 0;
        foreach (var message in traj.EnumerateArray())
        {
            ReadMessage(message, at.Item("traj", position++), ref prompt);
        }

        var (clock, promptDomain) = ReadPrompt(prompt);
        var domain = _fileDomain ?? promptDomain;
        var task = taskId.ToString(CultureInfo.InvariantCulture);
        return new RecordedRun
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"tau-{domain ?? "unknown"}-t{task}-r{trial}"),
            Source = new RecordSource(_file, index),
            Domain = domain,
            AgentModel = _fileModel,
            StartedAt = clock,
            Steps = _steps.ToArray(),
            Labels = new RunLabels(reward, expected, TerminationReason: null, TaskId: task),
        };
    }

    private void ReadMessage(JsonElement message, in RecordPath at, ref string? prompt)
    {
        JsonFields.RequireObject(message, at);
        var role = JsonFields.RequireString(message, "role", at, "a string (system, user, assistant or tool)");
        var content = role == "system" ? ReadSystemContent(message, at) : JsonFields.OptionalString(message, "content", at);
        if (role == "tool")
        {
            var callId = JsonFields.RequireString(message, "tool_call_id", at);
            var status = content is not null && content.StartsWith("Error", StringComparison.Ordinal) ? ToolResultStatus.Error : ToolResultStatus.Ok;
            if (!_steps.TryAnswer(callId, status, content ?? string.Empty))
            {
                throw new RecordFormatException(at.Format("tool_call_id"), $"expected the id of an earlier unanswered tool call of this run, found '{callId}'");
            }

            return;
        }

        if (!RecordedStepBuilder.TryParseRole(role, out var messageRole))
        {
            throw new RecordFormatException(at.Format("role"), $"expected system, user, assistant or tool, found '{role}'");
        }

        if (messageRole == MessageRole.System)
        {
            prompt ??= content;
        }

        var count = JsonFields.OptionalArray(message, "tool_calls", at, out var calls) ? calls.GetArrayLength() : 0;
        _steps.AddMessage(messageRole, content, count, timestamp: null);
        if (count == 0)
        {
            return;
        }

        var hasText = RecordedStepBuilder.HasText(content);
        var requestor = messageRole == MessageRole.User ? "user" : "assistant";
        var position = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callAt = at.Item("tool_calls", position);
            JsonFields.RequireObject(call, callAt);
            var id = JsonFields.RequireString(call, "id", callAt);
            var function = JsonFields.RequireObject(call, "function", callAt);
            var functionAt = callAt.Then("function");
            var name = JsonFields.RequireString(function, "name", functionAt);
            var arguments = JsonFields.RequireString(function, "arguments", functionAt, "a string holding the arguments as JSON text");
            _steps.AddToolCall(new ToolCall(id, name, arguments, position, count, hasText), requestor, timestamp: null);
            position++;
        }
    }

    // Every run of a file repeats the same policy prompt: compare without allocating and share one string instance.
    private string? ReadSystemContent(JsonElement message, in RecordPath at)
    {
        if (_lastPrompt is not null && message.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String && content.ValueEquals(_lastPrompt))
        {
            return _lastPrompt;
        }

        return JsonFields.OptionalString(message, "content", at);
    }

    private (DateTimeOffset Clock, string? Domain) ReadPrompt(string? prompt)
    {
        if (prompt is null)
        {
            return (DomainClock.Unknown, null);
        }

        if (!ReferenceEquals(prompt, _lastPrompt))
        {
            _lastPrompt = prompt;
            _lastPromptClock = DomainClock.TryFindStatedTime(prompt, out var clock) ? clock : DomainClock.Unknown;
            var title = PolicyTitle().Match(prompt);
            _lastPromptDomain = title.Success ? title.Groups["domain"].Value.ToLowerInvariant() : null;
        }

        return (_lastPromptClock, _lastPromptDomain);
    }

    private static ExpectedAction[]? ReadExpectedActions(JsonElement record, in RecordPath at)
    {
        if (!JsonFields.OptionalObject(record, "info", at, out var info)
            || !JsonFields.OptionalObject(info, "task", at.Then("info"), out var task))
        {
            return null;
        }

        var taskAt = at.Then("info.task");
        if (!JsonFields.OptionalArray(task, "actions", taskAt, out var actions))
        {
            return null;
        }

        var expected = new ExpectedAction[actions.GetArrayLength()];
        var position = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var actionAt = taskAt.Item("actions", position);
            JsonFields.RequireObject(action, actionAt);
            var name = JsonFields.RequireString(action, "name", actionAt);
            var kwargs = JsonFields.RequireObject(action, "kwargs", actionAt);
            expected[position++] = new ExpectedAction(name, kwargs.Clone());
        }

        return expected;
    }

    [GeneratedRegex(@"^\s*#\s*(?<domain>[A-Za-z]+)\s+agent\s+policy", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PolicyTitle();
}
