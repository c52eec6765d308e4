using System.CommandLine;
using Keel.Cli.Output;
using Keel.Mcp;

namespace Keel.Cli.Commands;

/// <summary><c>keel mcp [--server &lt;url&gt;] [--key-env &lt;variable&gt;]</c>: Keel as an MCP stdio server in front of a running <c>keel serve</c>.</summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var server = GatewayConnection.ServerOption("The Keel server (keel serve) whose gateway API decides and runs the calls.");
        var keyEnv = GatewayConnection.KeyEnvOption(
            "The environment variable holding the agent key (keel_<key id>_<secret>). The key is never taken from a flag: other users can read flags in the process list.");
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
        using var connection = GatewayConnection.Create(server, keyVariable, environment, out var invalid);
        var (toolCount, unusable) = connection is null ? (0, invalid) : await connection.ListToolsAsync(cancellationToken).ConfigureAwait(false);
        if (unusable is not null)
        {
            await error.WriteLineAsync($"keel mcp: error: {unusable}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        await error.WriteLineAsync($"keel mcp: serving the {toolCount} tools of {connection!.BaseAddress} over stdio").ConfigureAwait(false);
        using var loggerFactory = new StderrLoggerFactory(error, "keel mcp");
        var gateway = new KeelMcpGateway(connection.Client, loggerFactory: loggerFactory);
        await gateway.RunAsync(input, output, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
