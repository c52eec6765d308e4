using System.CommandLine;
using Keel.Cli.Output;
using Keel.Mcp;
using Keel.Mcp.Api;

namespace Keel.Cli.Commands;

/// <summary><c>keel mcp [--server &lt;url&gt;] [--key-env &lt;variable&gt;]</c>: Keel as an MCP stdio server in front of a running <c>keel serve</c>.</summary>
internal static class McpCommand
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string DefaultKeyVariable = "KEEL_API_KEY";

    public static Command Create()
    {
        var server = new Option<string>("--server")
        {
            Description = "The Keel server (keel serve) whose gateway API decides and runs the calls.",
            DefaultValueFactory = _ => DefaultServer,
        };
        var keyEnv = new Option<string>("--key-env")
        {
            Description = "The environment variable holding the agent key (keel_<key id>_<secret>). The key is never taken from a flag: other users can read flags in the process list.",
            DefaultValueFactory = _ => DefaultKeyVariable,
        };
        var command = new Command("mcp", "Serve MCP over stdio for a model's host (Claude Desktop, VS Code, an agent framework): the host sees the tools the agent key may call, and "
            + "every tool call goes through Keel's pipeline on the server. Calls Keel stops come back as tool errors the model can read. Diagnostics go to stderr; stdout is the protocol.")
        {
            server, keyEnv,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(server)!, parse.GetValue(keyEnv)!, Environment.GetEnvironmentVariable,
            Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, cancellationToken));
        return command;
    }

    /// <summary>Checks the server and the key, then serves one MCP session on <paramref name="input"/> and <paramref name="output"/>.</summary>
    /// <returns>0 when the session ended; 2 when the server URL or key is missing, the server cannot be reached, or it refuses the key.</returns>
    internal static async Task<int> RunAsync(string server, string keyVariable, Func<string, string?> environment, Stream input, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(server.EndsWith('/') ? server : server + "/", UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            await error.WriteLineAsync($"keel mcp: error: --server '{server}' is not an http:// or https:// URL. Pass the address keel serve listens on, e.g. {DefaultServer}.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var key = environment(keyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            await error.WriteLineAsync($"keel mcp: error: the environment variable {keyVariable} is not set. Set it to the agent key the Keel server issued (keel_<key id>_<secret>); " +
                "keys are read from the environment, never from flags.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        KeelGatewayClient client;
        int toolCount;
        try
        {
            client = new KeelGatewayClient(http, key);
            toolCount = (await client.ListToolsAsync(cancellationToken).ConfigureAwait(false)).Count;
        }
        catch (ArgumentException)
        {
            await error.WriteLineAsync($"keel mcp: error: the key in {keyVariable} holds a line break. Set it to the key exactly as issued.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"keel mcp: error: cannot reach the Keel server at {baseAddress} ({ex.Message}). Start it with 'keel serve', or pass --server with its address.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (KeelApiException ex) when (ex.IsKeyRefused)
        {
            await error.WriteLineAsync($"keel mcp: error: the Keel server at {baseAddress} refused the key in {keyVariable}: {ex.Message}. Use an agent key (role agent) that has not been revoked.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (KeelApiException ex)
        {
            await error.WriteLineAsync($"keel mcp: error: the Keel server at {baseAddress} could not list the tools: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        await error.WriteLineAsync($"keel mcp: serving the {toolCount} tools of {baseAddress} over stdio").ConfigureAwait(false);
        using var loggerFactory = new StderrLoggerFactory(error, "keel mcp");
        var gateway = new KeelMcpGateway(client, loggerFactory: loggerFactory);
        await gateway.RunAsync(input, output, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
