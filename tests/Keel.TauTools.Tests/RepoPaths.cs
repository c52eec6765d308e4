using Keel.TauTools;

namespace Keel.TauTools.Tests;

/// <summary>Paths in the Keel checkout.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> _root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Keel.slnx above {AppContext.BaseDirectory}: run the tests from a Keel checkout");
    });

    public static string Root => _root.Value;

    public static string Database(TauDomain domain) => Path.Combine(Root, "samples", $"tau-{domain.Name()}", "db");

    public static string AirlineRuns => Path.Combine(Root, "samples", "runs", "tau-bench", "gpt-4o-airline.json");
}
