using System.Reflection;
using Keel.TauTools.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Keel.TauTools.Mcp;

/// <summary>Serves a <see cref="TauToolbox"/> as an MCP server (tools capability only).</summary>
public static class TauMcpServer
{
    /// <summary>The server name announced to clients: <c>keel-tau-tools</c>.</summary>
    public const string Name = "keel-tau-tools";

    /// <summary>Creates the MCP server options: server info, instructions and one MCP tool per domain tool.</summary>
    /// <param name="toolbox">The tools and their database.</param>
    /// <returns>The options.</returns>
    public static McpServerOptions CreateOptions(TauToolbox toolbox)
    {
        ArgumentNullException.ThrowIfNull(toolbox);
        var tools = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var definition in toolbox.Tools)
        {
            tools.Add(new TauMcpTool(toolbox, definition));
        }

        return new McpServerOptions
        {
            ServerInfo = new Implementation
            {
                Name = Name,
                Version = typeof(TauMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
                Description = $"tau-bench {toolbox.Domain.Name()} tools on an in-memory database (Keel)",
            },
            ServerInstructions =
                $"The tau-bench {toolbox.Domain.Name()} customer-service tools. Each connection's process owns one in-memory copy of the database: " +
                "writes change that copy only. Results are the reference environment's texts; failures are tool errors starting with 'Error: '.",
            ToolCollection = tools,
        };
    }

    /// <summary>Serves the tools over stdio (newline-delimited JSON-RPC on stdin/stdout) until the client closes stdin or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="toolbox">The tools and their database.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>A task that completes when the session ends.</returns>
    public static async Task RunStdioAsync(TauToolbox toolbox, CancellationToken cancellationToken = default)
    {
        var options = CreateOptions(toolbox);
        await using var transport = new StdioServerTransport(options, NullLoggerFactory.Instance);
        await using var server = McpServer.Create(transport, options, NullLoggerFactory.Instance);
        await server.RunAsync(cancellationToken);
    }
}
