using System.CommandLine;
using Keel.Composition;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Keel.Cli.Plugins;

/// <summary>The <c>--plugin &lt;path.dll&gt;</c> option of the commands that load agent bundles and run the pipeline
/// (<c>keel replay</c>, <c>keel serve</c>, <c>keel eval</c>, <c>keel backtest</c>): the plugins' importers, monitors, C# policies and stages
/// join Keel's standard ones (docs/extending.md).</summary>
internal sealed class PluginOptions
{
    private readonly Option<string[]> _plugins = new("--plugin")
    {
        Description = "An assembly with Keel plugins (types implementing Keel.Composition.IKeelPlugin) adding run importers, monitors, C# policies "
            + "(kind: custom rules) or pipeline stages. Repeat for several (docs/extending.md).",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public PluginOptions(Command command) => command.Options.Add(_plugins);

    /// <summary>Loads the plugins and composes Keel with them.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="console">Where errors go.</param>
    /// <param name="composition">The plugins and the components they compose; <see langword="null"/> when a plugin failed.</param>
    /// <returns>Whether every plugin loaded (an error naming the file was printed when not).</returns>
    public bool TryCompose(ParseResult parse, IAnsiConsole console, out PluginComposition? composition)
    {
        composition = null;
        var plugins = new List<IKeelPlugin>();
        try
        {
            foreach (var path in parse.GetValue(_plugins) ?? [])
            {
                plugins.AddRange(PluginLoader.Load(path));
            }

            composition = PluginComposition.Of(plugins);
            return true;
        }
        catch (PluginLoadException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return false;
        }
        catch (ArgumentException ex)
        {
            // KeelComponents refuses two importers of one format or two policies of one name.
            console.MarkupLineInterpolated($"[red]error:[/] the plugins do not compose: {ex.Message.Split(" (Parameter")[0]}");
            return false;
        }
    }
}

/// <summary>The plugins of a command and the <see cref="KeelComponents"/> they compose with Keel's standard set.</summary>
/// <param name="Plugins">The plugins, in load order.</param>
/// <param name="Components">Keel's importers, monitors, policies and stages with the plugins'.</param>
internal sealed record PluginComposition(IReadOnlyList<IKeelPlugin> Plugins, KeelComponents Components)
{
    /// <summary>No plugins: Keel's standard set.</summary>
    public static PluginComposition None { get; } = new([], KeelComponents.Standard);

    /// <summary>Composes Keel with plugins, as <c>services.AddKeel()</c> does for a server.</summary>
    /// <param name="plugins">The plugins.</param>
    /// <returns>The composition.</returns>
    /// <exception cref="ArgumentException">Two importers share a format name or two policies a name.</exception>
    public static PluginComposition Of(IReadOnlyList<IKeelPlugin> plugins)
    {
        if (plugins.Count == 0)
        {
            return None;
        }

        var services = new ServiceCollection();
        services.AddKeel().AddPlugins(plugins);
        // Not disposed: the components' singletons (a plugin's monitor, say) live as long as the command.
        var provider = services.BuildServiceProvider();
        return new(plugins, provider.GetRequiredService<KeelComponents>());
    }
}
