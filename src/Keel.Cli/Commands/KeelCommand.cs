using System.CommandLine;
using System.CommandLine.Invocation;

namespace Keel.Cli.Commands;

/// <summary>The <c>keel</c> root command.</summary>
internal static class KeelCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Keel: the control plane AI agents run under. Replay recorded agent runs through Keel's tool-call pipeline and policies, serve the live gateway, speak MCP in front of it, lint policies, verify the audit log, administer workspaces and keys in the store, and score sentiment with VADER.");
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ReplayLiveCommand.Create());
        root.Subcommands.Add(SentimentCommand.Create());
        root.Subcommands.Add(KnowledgeCommand.Create());
        root.Subcommands.Add(WorkspaceCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BacktestCommand.Create());
        root.Subcommands.Add(DriftCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        return root;
    }

    /// <summary>Parses and runs a command line. A parse error (a missing required option or argument, a value of the wrong type, an
    /// unknown option) prints System.CommandLine's message and exits with <see cref="ExitCodes.BadInput"/> (2), as README's table says,
    /// not System.CommandLine's own 1.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="configuration">Where output and errors go; <see langword="null"/> for the process's stdout and stderr.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C also does).</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        var exit = await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parse.Action is ParseErrorAction ? ExitCodes.BadInput : exit;
    }
}
