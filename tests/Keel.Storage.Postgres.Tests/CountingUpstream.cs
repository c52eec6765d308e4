using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Storage.Postgres.Tests;

/// <summary>An upstream tool server stand-in shared by several gateway instances: counts executions per tool and <c>order_id</c>, answers a fixed JSON text.</summary>
internal sealed class CountingUpstream : IToolExecutor
{
    private readonly ConcurrentDictionary<(string Tool, string Order), int> _calls = new();

    public int Count(string tool, string orderId) => _calls.GetValueOrDefault((tool, orderId));

    public int Total(string tool) => _calls.Where(c => c.Key.Tool == tool).Sum(c => c.Value);

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        using var arguments = JsonDocument.Parse(context.Call.ArgumentsJson);
        var order = arguments.RootElement.TryGetProperty("order_id", out var id) ? id.GetString() ?? string.Empty : string.Empty;
        _calls.AddOrUpdate((context.Call.ToolName, order), 1, (_, n) => n + 1);
        return ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, $"{{\"ok\":true,\"tool\":\"{context.Call.ToolName}\",\"order\":\"{order}\"}}"));
    }
}
