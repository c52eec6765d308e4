using System.CommandLine;

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
        return root;
    }
}
