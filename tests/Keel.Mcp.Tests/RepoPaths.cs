namespace Keel.Mcp.Tests;

/// <summary>Paths in the Keel checkout and the test output.</summary>
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

    public static string AirlineBundle => Path.Combine(_root.Value, "samples", "tau-airline");

    /// <summary>keel-tau-tools.dll, copied beside the tests by the project reference (with its databases under db/).</summary>
    public static string TauToolsDll => Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll");
}
