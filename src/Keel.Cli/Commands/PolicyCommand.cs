using System.CommandLine;
using Keel.Cli.Plugins;
using Keel.Composition;
using Keel.Policies;
using Keel.Tools;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel policy lint &lt;policies.yaml | bundle folder&gt;</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A policies.yaml or escalation.yaml file, or an agent bundle folder (then its tools.json, policy document and escalation.yaml are checked too)." };
        var lint = new Command("lint", "Check a policy file (or a bundle's policies.yaml and escalation.yaml): YAML, rule kinds, CEL expressions and the variables they read (with file:line:column), tool names against tools.json, and that every 'cite' quotes the policy document. A 'kind: custom' rule needs the --plugin that defines its policy.") { path };
        var plugins = new PluginOptions(lint);
        lint.SetAction(parse => plugins.TryCompose(parse, AnsiConsole.Console, out var composition) ? Lint(parse.GetValue(path)!, composition!.Components) : ExitCodes.BadInput);
        return new Command("policy", "Work with policy files.") { lint };
    }

    /// <summary>Lints a policy file or a bundle folder, printing every diagnostic.</summary>
    /// <param name="path">A policies.yaml or escalation.yaml file, or a bundle folder.</param>
    /// <param name="components">The composition whose C# policies resolve <c>kind: custom</c> rules (the <c>--plugin</c> assemblies');
    /// <see langword="null"/> for Keel's standard set, which has none.</param>
    /// <returns><see cref="ExitCodes.Ok"/>, or <see cref="ExitCodes.BadInput"/> when a file has an error or cannot be read.</returns>
    internal static int Lint(string path, KeelComponents? components = null)
    {
        var console = AnsiConsole.Console;
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var file = Directory.Exists(path) ? Path.Combine(path, "policies.yaml") : path;
        var options = (components ?? KeelComponents.Standard).PolicyOptions();
        options.SourceFolder = folder;
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

        var escalation = Directory.Exists(path) ? Path.Combine(path, "escalation.yaml") : null;
        var errors = 0;
        if (Path.GetFileName(file) == "escalation.yaml")
        {
            escalation = file;
        }
        else
        {
            var result = PolicyLoader.Load(file, options);
            errors += Report(console, file, result.Diagnostics, result.RuleCount);
        }

        // Escalation rules (docs/escalation.md) are CEL like the policies and are checked the same way.
        if (escalation is not null && File.Exists(escalation))
        {
            var loaded = Escalation.EscalationLoader.Load(escalation);
            errors += Report(console, escalation, loaded.Diagnostics, loaded.RuleCount);
        }

        return errors > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    private static int Report(IAnsiConsole console, string file, IReadOnlyList<PolicyDiagnostic> diagnostics, int rules)
    {
        foreach (var diagnostic in diagnostics)
        {
            console.MarkupLine($"{(diagnostic.IsError ? "[red]" : "[yellow]")}{Markup.Escape(diagnostic.ToString())}[/]");
        }

        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        console.MarkupLineInterpolated($"{file}: {rules} rules, {errors} errors, {warnings} warnings");
        return errors;
    }
}
