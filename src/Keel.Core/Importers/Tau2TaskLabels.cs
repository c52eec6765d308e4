using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// The expected actions of the tasks in a tau2-bench run file (<c>$.tasks[]</c>), looked up by task id when a
/// simulation is converted. One instance per file read; not thread-safe.
/// </summary>
/// <remarks>
/// Source: <c>evaluation_criteria.actions[] {action_id, requestor, name, arguments}</c> of each task (tau2-bench
/// <c>data/tau2/domains/*/tasks.json</c> format). A task without an <c>actions</c> list has unknown expected actions
/// (<see langword="null"/>). A task whose actions are malformed is remembered with its error, so that the runs of that
/// task are skipped with a JSONPath into the task instead of being imported with wrong labels. A task without a readable
/// id cannot be referenced and is ignored; when two tasks share an id the first one counts.
/// </remarks>
internal sealed class Tau2TaskLabels
{
    private readonly Dictionary<string, Entry> _tasks = new(StringComparer.Ordinal);

    /// <summary>Whether the file's <c>tasks</c> array has been read.</summary>
    public bool Loaded { get; set; }

    /// <summary>Reads one task.</summary>
    /// <param name="task">The element of <c>$.tasks</c>.</param>
    /// <param name="index">Its 0-based index.</param>
    public void Add(JsonElement task, int index)
    {
        if (task.ValueKind != JsonValueKind.Object
            || !task.TryGetProperty("id", out var idValue)
            || idValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return;
        }

        var id = idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : idValue.GetRawText();
        try
        {
            _tasks.TryAdd(id, new Entry(ReadActions(task, new RecordPath("$.tasks", index)), null));
        }
        catch (RecordFormatException ex)
        {
            _tasks.TryAdd(id, new Entry(null, ex));
        }
    }

    /// <summary>The expected actions of a task.</summary>
    /// <param name="taskId">The simulation's <c>task_id</c>; <see langword="null"/> when it has none.</param>
    /// <returns>The actions, or <see langword="null"/> when the task is unknown or has no actions list.</returns>
    /// <exception cref="RecordFormatException">The task's actions are malformed (the path points into the task).</exception>
    public IReadOnlyList<ExpectedAction>? Find(string? taskId)
    {
        if (taskId is null || !_tasks.TryGetValue(taskId, out var entry))
        {
            return null;
        }

        return entry.Failure is null
            ? entry.Actions
            : throw new RecordFormatException(entry.Failure.JsonPath, $"the run's task '{taskId}' is malformed: {entry.Failure.Message}");
    }

    /// <summary>The expected actions a simulation's grader checked (<c>reward_info.action_checks[].action</c>), when it lists any.</summary>
    /// <param name="rewardInfo">The simulation's <c>reward_info</c>.</param>
    /// <returns>The actions, or <see langword="null"/> when there are no well-formed action checks.</returns>
    public static ExpectedAction[]? FromActionChecks(JsonElement rewardInfo)
    {
        if (!rewardInfo.TryGetProperty("action_checks", out var checks) || checks.ValueKind != JsonValueKind.Array || checks.GetArrayLength() == 0)
        {
            return null;
        }

        var actions = new List<ExpectedAction>(checks.GetArrayLength());
        foreach (var check in checks.EnumerateArray())
        {
            if (check.ValueKind != JsonValueKind.Object
                || !check.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
                || !action.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var arguments = action.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.Object ? args.Clone() : default;
            var requestor = action.TryGetProperty("requestor", out var who) && who.ValueKind == JsonValueKind.String ? who.GetString()! : "assistant";
            actions.Add(new ExpectedAction(name.GetString()!, arguments.ValueKind == JsonValueKind.Undefined ? EmptyObject : arguments, requestor));
        }

        return [.. actions];
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static ExpectedAction[]? ReadActions(JsonElement task, in RecordPath at)
    {
        if (!JsonFields.OptionalObject(task, "evaluation_criteria", at, out var criteria))
        {
            return null;
        }

        var criteriaAt = at.Then("evaluation_criteria");
        if (!JsonFields.OptionalArray(criteria, "actions", criteriaAt, out var actions))
        {
            return null;
        }

        var expected = new ExpectedAction[actions.GetArrayLength()];
        var position = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var actionAt = criteriaAt.Item("actions", position);
            JsonFields.RequireObject(action, actionAt);
            var name = JsonFields.RequireString(action, "name", actionAt);
            var arguments = JsonFields.RequireObject(action, "arguments", actionAt);
            var requestor = JsonFields.OptionalString(action, "requestor", actionAt) ?? "assistant";
            expected[position++] = new ExpectedAction(name, arguments.Clone(), requestor);
        }

        return expected;
    }

    private sealed record Entry(ExpectedAction[]? Actions, RecordFormatException? Failure);
}
