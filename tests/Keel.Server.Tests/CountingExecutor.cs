using System.Collections.Concurrent;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Server.Tests;

/// <summary>An upstream stand-in: counts executions per tool and answers with a fixed JSON text.</summary>
internal sealed class CountingExecutor : IToolExecutor
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public int Count(string tool) => _calls.GetValueOrDefault(tool);

    public int Total => _calls.Values.Sum();

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(context.Call.ToolName, 1, (_, n) => n + 1);
        return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"{{\"ok\":true,\"tool\":\"{context.Call.ToolName}\"}}"));
    }
}
