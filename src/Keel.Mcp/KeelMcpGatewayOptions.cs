namespace Keel.Mcp;

/// <summary>Settings of <see cref="KeelMcpGateway"/>. Not thread-safe while being configured; the gateway reads them per session.</summary>
public sealed class KeelMcpGatewayOptions
{
    /// <summary>The server name announced to MCP clients.</summary>
    /// <value>The default is <c>keel</c>.</value>
    public string ServerName { get; set; } = "keel";

    /// <summary>The channel recorded on the runs the gateway opens.</summary>
    /// <value>The default is <c>mcp</c>.</value>
    public string Channel { get; set; } = Keel.Model.Run.McpChannel;

    /// <summary>The workflow class recorded on the runs the gateway opens (what budgets and reports group by).</summary>
    /// <value>The default is <see langword="null"/>: none.</value>
    public string? WorkflowClass { get; set; }

    /// <summary>How many times a request to the Keel server is retried, with the same <c>Idempotency-Key</c>, when the server
    /// cannot be reached, times out, answers 409 (the same key still in flight), 502, 503 or 504.</summary>
    /// <value>The default is 2.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The wait before the first retry; it doubles for each further retry.</summary>
    /// <value>The default is 250 ms.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long closing the session's run may take once the MCP session has ended.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and the fix.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServerName) || string.IsNullOrWhiteSpace(Channel))
        {
            throw new ArgumentException("KeelMcpGatewayOptions.ServerName and Channel must not be empty (defaults: \"keel\", \"mcp\").", nameof(ServerName));
        }

        if (MaxRetries is < 0 or > 10)
        {
            throw new ArgumentException($"KeelMcpGatewayOptions.MaxRetries is {MaxRetries}; use 0 to 10.", nameof(MaxRetries));
        }

        if (RetryDelay < TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("KeelMcpGatewayOptions.RetryDelay must not be negative and CloseTimeout must be positive.", nameof(RetryDelay));
        }
    }
}
