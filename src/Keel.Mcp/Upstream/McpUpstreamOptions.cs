namespace Keel.Mcp.Upstream;

/// <summary>How Keel reaches one upstream MCP tool server: a subprocess it starts and talks to over stdio
/// (<see cref="Command"/>), or an HTTP endpoint (<see cref="Endpoint"/>: Streamable HTTP, falling back to SSE).</summary>
/// <remarks>Plain settable properties so the class binds from configuration (<c>appsettings.json</c>, environment).
/// Set exactly one of <see cref="Command"/> and <see cref="Endpoint"/>; <see cref="Validate"/> says which setting is wrong.
/// Not thread-safe while being configured; <see cref="McpUpstream"/> copies what it needs and never changes it.</remarks>
public sealed class McpUpstreamOptions
{
    /// <summary>The upstream's name in Keel's logs and error texts, e.g. <c>tau-airline</c>. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The program to start for a stdio upstream, e.g. <c>dotnet</c> or <c>/usr/local/bin/my-tools</c>; <see langword="null"/> for an HTTP upstream.</summary>
    public string? Command { get; set; }

    /// <summary>The program's arguments, one list entry per argument (no shell quoting). The default is empty.</summary>
    public IList<string> Arguments { get; set; } = [];

    /// <summary>The program's working directory. The default (<see langword="null"/>) is Keel's working directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Environment variables set for the program on top of Keel's own environment, which it inherits. The default is none.
    /// Values are passed to the process only, never logged.</summary>
    public IDictionary<string, string?> EnvironmentVariables { get; set; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The MCP endpoint of an HTTP upstream, e.g. <c>http://127.0.0.1:7001/mcp</c>; <see langword="null"/> for a stdio upstream.
    /// The MCP C# SDK's client tries Streamable HTTP first and falls back to HTTP with SSE.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Headers sent with every request to an HTTP upstream (e.g. <c>Authorization</c>). The default is none. Values are never logged.</summary>
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one <c>tools/call</c> may take before Keel gives up on it and answers a transient error.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting (starting the process, or reaching the endpoint, plus the MCP handshake and <c>tools/list</c>) may take.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after a failed connection attempt before the next one; it doubles after each further failure up to
    /// <see cref="MaxReconnectDelay"/>, and a call made while waiting fails at once instead of connecting.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between connection attempts.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether this upstream is reached over stdio (<see cref="Command"/> is set).</summary>
    public bool IsStdio => !string.IsNullOrWhiteSpace(Command);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names the setting and the fix.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("McpUpstreamOptions.Name is empty. Name the upstream (e.g. \"tau-airline\"); errors and logs use the name.", nameof(Name));
        }

        var at = $"upstream '{Name}'";
        if (IsStdio == (Endpoint is not null))
        {
            throw new ArgumentException($"{at}: set exactly one of Command (a stdio server Keel starts) and Endpoint (an HTTP MCP endpoint).", nameof(Command));
        }

        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"{at}: Endpoint '{Endpoint}' is not an absolute http:// or https:// URL. Give the server's MCP URL, e.g. http://127.0.0.1:7001/mcp.", nameof(Endpoint));
        }

        Positive(CallTimeout, nameof(CallTimeout), at, allowInfinite: true);
        Positive(ConnectTimeout, nameof(ConnectTimeout), at, allowInfinite: true);
        Positive(ReconnectDelay, nameof(ReconnectDelay), at, allowInfinite: false);
        if (MaxReconnectDelay < ReconnectDelay)
        {
            throw new ArgumentException($"{at}: MaxReconnectDelay ({MaxReconnectDelay}) is shorter than ReconnectDelay ({ReconnectDelay}). Make it at least as long.", nameof(MaxReconnectDelay));
        }
    }

    private static void Positive(TimeSpan value, string name, string at, bool allowInfinite)
    {
        if (value <= TimeSpan.Zero && !(allowInfinite && value == Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentException($"{at}: {name} is {value}; it must be positive{(allowInfinite ? " (or Timeout.InfiniteTimeSpan for no limit)" : string.Empty)}.", name);
        }
    }
}
