using Microsoft.Extensions.Logging;

namespace Keel.Mcp;

/// <summary>Keel.Mcp's log messages (source-generated, fixed event ids 4100-4199). Message content and tool arguments are never logged.</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Connected to upstream MCP server '{Upstream}' ({ToolCount} tools)")]
    public static partial void UpstreamConnected(ILogger logger, string upstream, int toolCount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Connecting to upstream MCP server '{Upstream}' failed (attempt {Attempt}); next attempt in {DelayMs} ms")]
    public static partial void UpstreamConnectFailed(ILogger logger, Exception exception, string upstream, int attempt, double delayMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Upstream MCP server '{Upstream}' closed its connection; reconnecting on the next call")]
    public static partial void UpstreamClosed(ILogger logger, Exception? exception, string upstream);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Upstream MCP server '{Upstream}' did not answer {Tool} within {TimeoutMs} ms")]
    public static partial void UpstreamTimedOut(ILogger logger, string upstream, string tool, double timeoutMs);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Upstream MCP server '{Upstream}' stderr: {Line}")]
    public static partial void UpstreamStderr(ILogger logger, string upstream, string line);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Upstream MCP server '{Upstream}' answered {Tool} with a protocol error")]
    public static partial void UpstreamProtocolError(ILogger logger, Exception exception, string upstream, string tool);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "MCP session opened Keel run {RunId}")]
    public static partial void RunOpened(ILogger logger, string runId);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "MCP session ended; Keel run {RunId} closed")]
    public static partial void RunClosed(ILogger logger, string runId);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "MCP session ended but closing Keel run {RunId} failed")]
    public static partial void RunCloseFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "The Keel server could not be asked about {Tool}")]
    public static partial void GatewayCallFailed(ILogger logger, Exception exception, string tool);
}
