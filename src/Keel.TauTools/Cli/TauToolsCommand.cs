using System.CommandLine;
using Keel.TauTools.Data;
using Keel.TauTools.Mcp;
using Keel.TauTools.Tools;

namespace Keel.TauTools.Cli;

/// <summary>The <c>keel-tau-tools</c> command: <c>--domain airline|retail [--db &lt;folder&gt;] [--previews]</c>, serving MCP over stdio.</summary>
internal static class TauToolsCommand
{
    /// <summary>Exit code for input the user must fix (an unknown domain, a database folder that cannot be used).</summary>
    public const int BadInput = 2;

    public static RootCommand Create()
    {
        var domain = new Option<string>("--domain", "-d")
        {
            Description = "The tau-bench domain whose tools to serve: airline (14 tools) or retail (16 tools).",
            Required = true,
        };
        domain.AcceptOnlyFromAmong("airline", "retail");
        var db = new Option<string?>("--db")
        {
            HelpName = "folder",
            Description = "Folder with the domain's database files (airline: flights.json, reservations.json, users.json; retail: orders.json, " +
                "products.json, users.json). Read once and never written; the server works on its own in-memory copy. " +
                "Default: the copy of samples/tau-<domain>/db shipped beside the program.",
        };
        var previews = new Option<bool>("--previews")
        {
            Description = "Also serve a dry run preview_<tool> for every write tool: same arguments, changes nothing, answers " +
                "{\"before\", \"after\"} of the records the write would touch (Keel's plan-then-apply; docs/plans.md). Off by default: exactly tau-bench's tools.",
        };
        var root = new RootCommand(
            "keel-tau-tools: an MCP tool server for the tau-bench airline and retail customer-service domains. It speaks MCP over stdio " +
            "(newline-delimited JSON-RPC on stdin/stdout; a client such as Keel's gateway starts it as a subprocess), answers every tool " +
            "call as tau-bench's reference environment does, and applies writes to a fresh in-memory copy of the database per process. " +
            "Diagnostics go to stderr.")
        {
            domain,
            db,
            previews,
        };
        root.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(domain)!, parse.GetValue(db), parse.GetValue(previews), cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(string domainName, string? folder, bool previews, CancellationToken cancellationToken)
    {
        var domain = domainName == "airline" ? TauDomain.Airline : TauDomain.Retail;
        TauDatabaseSource source;
        try
        {
            source = TauDatabaseSource.Load(domain, folder ?? TauDatabaseSource.DefaultFolder(domain));
        }
        catch (TauDataException ex)
        {
            await Console.Error.WriteLineAsync($"keel-tau-tools: error: {ex.Message}");
            return BadInput;
        }

        var toolbox = new TauToolbox(source.CreateCopy(), previews: previews);
        await Console.Error.WriteLineAsync($"keel-tau-tools: serving {toolbox.Tools.Count} {domain.Name()} tools over stdio, database {source.Folder} (in-memory copy)");
        await TauMcpServer.RunStdioAsync(toolbox, cancellationToken);
        return 0;
    }
}
