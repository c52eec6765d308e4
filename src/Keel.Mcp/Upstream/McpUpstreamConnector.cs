using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Keel.Mcp.Upstream;

/// <summary>Opens one MCP client session to an upstream: transport, handshake, <c>tools/list</c>.</summary>
internal static class McpUpstreamConnector
{
    /// <summary>The MCP revision Keel asks upstreams for: the last one with the initialize handshake, which every server of
    /// this SDK generation and older ones speak.</summary>
    public const string LegacyProtocolVersion = "2025-11-25";

    public static async Task<McpUpstream.Connection> ConnectAsync(McpUpstreamOptions options, string version, ILoggerFactory loggerFactory, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var clientOptions = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "keel", Version = version, Description = "Keel gateway (governs tool calls)" },
            InitializationTimeout = options.ConnectTimeout,

            // The initialize handshake (2025-11-25) directly, not the SDK's default server/discover probe with a fallback:
            // under load the probe can time out after the server answered it, and the fallback initialize is then refused
            // ("Method 'initialize' is not available on protocol version '2026-07-28'").
            ProtocolVersion = LegacyProtocolVersion,
            TimeProvider = time,
        };
        var client = await McpClient.CreateAsync(CreateTransport(options, loggerFactory, logger), clientOptions, loggerFactory, linked.Token).ConfigureAwait(false);
        try
        {
            var listed = await client.ListToolsAsync(cancellationToken: linked.Token).ConfigureAwait(false);
            var tools = listed.Select(t => new McpUpstreamTool(options.Name, t.Name, t.Description ?? string.Empty, t.ProtocolTool.InputSchema.Clone(),
                t.ProtocolTool.Annotations?.ReadOnlyHint, t.ProtocolTool.Annotations?.DestructiveHint, t.ProtocolTool.Annotations?.IdempotentHint)).ToList();
            return new McpUpstream.Connection(client, tools);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static IClientTransport CreateTransport(McpUpstreamOptions options, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (options.IsStdio)
        {
            return new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = options.Name,
                Command = options.Command!,
                Arguments = [.. options.Arguments],
                WorkingDirectory = options.WorkingDirectory,
                EnvironmentVariables = new Dictionary<string, string?>(options.EnvironmentVariables, StringComparer.Ordinal),
                ShutdownTimeout = TimeSpan.FromSeconds(2),
                StandardErrorLines = line => McpLog.UpstreamStderr(logger, options.Name, line),
            }, loggerFactory);
        }

        return new HttpClientTransport(new HttpClientTransportOptions
        {
            Name = options.Name,
            Endpoint = options.Endpoint!,
            ConnectionTimeout = options.ConnectTimeout,
            AdditionalHeaders = new Dictionary<string, string>(options.Headers, StringComparer.OrdinalIgnoreCase),
        }, loggerFactory);
    }
}
