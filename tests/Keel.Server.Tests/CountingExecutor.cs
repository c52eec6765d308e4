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

    /// <summary>The balance the preview of close_account reports; tests change it to make the diff change.</summary>
    public int Balance { get; set; } = 40;

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(context.Call.ToolName, 1, (_, n) => n + 1);
        if (context.Call.ToolName == "preview_close_account")
        {
            var preview = $"{{\"before\":{{\"users\":{{\"U1\":{{\"status\":\"open\",\"balance\":{Balance}}}}}}},\"after\":{{\"users\":{{\"U1\":{{\"status\":\"closed\",\"balance\":0}}}}}}}}";
            return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, preview));
        }

        return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"{{\"ok\":true,\"tool\":\"{context.Call.ToolName}\"}}"));
    }
}
