using System.CommandLine;
using Keel.Sdk.Api;

namespace Keel.Cli.Commands;

/// <summary>A command's connection to a running <c>keel serve</c> (<c>keel mcp</c>, <c>keel replay-live</c>): the <c>--server</c> and
/// <c>--key-env</c> options, their checks and the first request. Error texts name the setting and the fix, and never hold the key.</summary>
internal sealed class GatewayConnection : IDisposable
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string DefaultKeyVariable = "KEEL_API_KEY";

    private readonly HttpClient _http;
    private readonly string _keyVariable;

    private GatewayConnection(HttpClient http, KeelGatewayClient client, string keyVariable)
    {
        _http = http;
        _keyVariable = keyVariable;
        Client = client;
    }

    /// <summary>The client of the server, holding the key.</summary>
    public KeelGatewayClient Client { get; }

    /// <summary>The server's base address, ending in <c>/</c> so that a path prefix is kept.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    public static Option<string> ServerOption(string description) => new("--server") { Description = description, DefaultValueFactory = _ => DefaultServer };

    public static Option<string> KeyEnvOption(string description) => new("--key-env") { Description = description, DefaultValueFactory = _ => DefaultKeyVariable };

    /// <summary>Checks that <paramref name="server"/> is an http(s) URL and that <paramref name="keyVariable"/> holds a key; sends nothing.</summary>
    /// <returns>The connection, or <see langword="null"/> with <paramref name="error"/> saying what to fix.</returns>
    public static GatewayConnection? Create(string server, string keyVariable, Func<string, string?> environment, out string? error)
    {
        if (!Uri.TryCreate(server.EndsWith('/') ? server : server + "/", UriKind.Absolute, out var baseAddress)
            || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--server '{server}' is not an http:// or https:// URL. Pass the address keel serve listens on, e.g. {DefaultServer}.";
            return null;
        }

        var key = environment(keyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            error = $"the environment variable {keyVariable} is not set. Set it to the agent key the Keel server issued (keel_<key id>_<secret>); "
                + "keys are read from the environment, never from flags.";
            return null;
        }

        var http = new HttpClient { BaseAddress = baseAddress };
        try
        {
            error = null;
            return new GatewayConnection(http, new KeelGatewayClient(http, key), keyVariable);
        }
        catch (ArgumentException)
        {
            http.Dispose();
            error = $"the key in {keyVariable} holds a line break. Set it to the key exactly as issued.";
            return null;
        }
    }

    /// <summary>Asks the server for the key's tools (<c>GET /v1/tools</c>): the one request that proves the address, the key and its role.</summary>
    /// <returns>How many tools the key may call, or why the server could not be used.</returns>
    public async Task<(int ToolCount, string? Error)> ListToolsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return ((await Client.ListToolsAsync(cancellationToken).ConfigureAwait(false)).Count, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, $"cannot reach the Keel server at {BaseAddress} ({ex.Message}). Start it with 'keel serve', or pass --server with its address.");
        }
        catch (KeelApiException ex) when (ex.IsKeyRefused)
        {
            return (0, $"the Keel server at {BaseAddress} refused the key in {_keyVariable}: {ex.Message}. Use an agent key (role agent) that has not been revoked.");
        }
        catch (KeelApiException ex)
        {
            return (0, $"the Keel server at {BaseAddress} could not list the tools: {ex.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
