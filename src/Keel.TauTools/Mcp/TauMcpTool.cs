using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.TauTools.Json;
using Keel.TauTools.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Keel.TauTools.Mcp;

/// <summary>One tau-bench tool offered over MCP: its schema from <c>tools.json</c>, its calls run by a <see cref="TauToolbox"/>.</summary>
/// <remarks>
/// The result is one text content block holding exactly the reference environment's answer; a failed call
/// (<c>Error: ...</c>) is an MCP tool error (<c>isError: true</c>), not a protocol error. Annotations come from
/// <c>x-tool-type</c> (read-only, destructive) and <c>x-idempotent</c>. Thread-safe.
/// </remarks>
internal sealed class TauMcpTool : McpServerTool
{
    private readonly TauToolbox _toolbox;

    public TauMcpTool(TauToolbox toolbox, TauToolDefinition definition)
    {
        _toolbox = toolbox;
        ProtocolTool = new Tool
        {
            Name = definition.Name,
            Description = definition.Description,
            InputSchema = definition.Parameters,
            Annotations = new ToolAnnotations
            {
                ReadOnlyHint = definition.Kind == ToolKind.Read,
                DestructiveHint = definition.Kind == ToolKind.Write,
                IdempotentHint = definition.Idempotent,
                OpenWorldHint = false,
            },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ToolOutcome outcome;
        try
        {
            outcome = _toolbox.Invoke(ProtocolTool.Name, ToArguments(request.Params?.Arguments));
        }
        catch (JsonException ex)
        {
            outcome = ToolOutcome.Error(ex.Message);
        }

        return ValueTask.FromResult(new CallToolResult
        {
            Content = [new TextContentBlock { Text = outcome.Text }],
            IsError = outcome.IsError,
        });
    }

    private static JsonObject ToArguments(IDictionary<string, JsonElement>? arguments)
    {
        var result = new JsonObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            result[name] = PyJson.FromElement(value);
        }

        return result;
    }
}
