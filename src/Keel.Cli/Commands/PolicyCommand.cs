using System.CommandLine;
using Keel.Policies;
using Keel.Tools;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel policy lint &lt;policies.yaml | bundle folder&gt;</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A policies.yaml file, or an agent bundle folder (then its tools.json and policy document are checked too)." };
        var lint = new Command("lint", "Check a policy file: YAML, rule kinds, CEL expressions (with file:line:column), tool names against tools.json, and that every 'cite' quotes the policy document.") { path };
        lint.SetAction(parse => Lint(parse.GetValue(path)!));
        return new Command("policy", "Work with policy files.") { lint };
    }

    internal static int Lint(string path)
    {
        var console = AnsiConsole.Console;
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var file = Directory.Exists(path) ? Path.Combine(path, "policies.yaml") : path;
        var options = new PolicyLoadOptions { SourceFolder = folder };
        var tools = Path.Combine(folder, "tools.json");
        if (File.Exists(tools))
        {
            try
            {
                options.Catalog = ToolCatalogLoader.Load(tools);
                options.KnownTools = options.Catalog.Tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            }
            catch (Bundles.BundleLoadException ex)
            {
                console.WriteLine(ex.Message);
                return ExitCodes.BadInput;
            }
        }

        var result = PolicyLoader.Load(file, options);

        foreach (var diagnostic in result.Diagnostics)
        {
            console.MarkupLine($"{(diagnostic.IsError ? "[red]" : "[yellow]")}{Markup.Escape(diagnostic.ToString())}[/]");
        }

        var errors = result.Diagnostics.Count(d => d.IsError);
        var warnings = result.Diagnostics.Count - errors;
        console.MarkupLineInterpolated($"{file}: {result.RuleCount} rules, {errors} errors, {warnings} warnings");
        return errors > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
