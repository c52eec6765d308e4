using Keel.Bundles;
using Keel.Model;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>Loads the <c>--agent</c> bundles of a command.</summary>
internal static class AgentBundles
{
    /// <summary>Loads every bundle: a bundle folder (has agent.yaml) stands for itself; a folder of bundles for each sub-folder
    /// with an agent.yaml, in name order.</summary>
    /// <param name="bundles">The <c>--agent</c> values.</param>
    /// <param name="console">Where errors go.</param>
    /// <param name="components">The composition whose C# policies <c>kind: custom</c> rules may name; <see langword="null"/> for Keel's
    /// standard set (none).</param>
    /// <returns>The agent versions, or <see langword="null"/> after printing why a bundle could not be loaded.</returns>
    public static List<AgentVersion>? Load(IEnumerable<string> bundles, IAnsiConsole console, Composition.KeelComponents? components = null)
    {
        components ??= Composition.KeelComponents.Standard;
        var agents = new List<AgentVersion>();
        foreach (var bundle in bundles.SelectMany(Folders))
        {
            try
            {
                agents.Add(components.LoadBundle(bundle));
            }
            catch (BundleLoadException ex)
            {
                console.MarkupLineInterpolated($"[red]error:[/] the agent bundle '{bundle}' could not be loaded:");
                console.WriteLine(ex.Message);
                return null;
            }
        }

        return agents;
    }

    private static IEnumerable<string> Folders(string path)
    {
        if (File.Exists(Path.Combine(path, "agent.yaml")) || !Directory.Exists(path))
        {
            return [path];
        }

        var children = Directory.GetDirectories(path).Where(d => File.Exists(Path.Combine(d, "agent.yaml"))).Order(StringComparer.Ordinal).ToList();
        return children.Count > 0 ? children : [path];
    }
}
