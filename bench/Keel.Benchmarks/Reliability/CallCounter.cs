using System.Collections.Concurrent;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Benchmarks.Reliability;

/// <summary>The upstream of the disk-full scenario: executes every call by counting it per run and call id (the write a real tool
/// would make), so a second execution of one call is seen.</summary>
internal sealed class CallCounter : IToolExecutor
{
    private readonly ConcurrentDictionary<(string Run, string Call), int> _executions = new();

    /// <summary>How many times the call ran.</summary>
    public int Count(string run, string call) => _executions.GetValueOrDefault((run, call));

    /// <summary>Every call that ran, with its count.</summary>
    public IReadOnlyDictionary<(string Run, string Call), int> Executions => _executions;

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        _executions.AddOrUpdate((context.State.Run.Id, context.Call.Id), 1, (_, n) => n + 1);
        return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, "{\"refunded\":true}"));
    }
}
