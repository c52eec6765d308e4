namespace Keel.Core.Tests.Bundles;

/// <summary>Paths inside the repository checkout (samples) and the test output (TestData).</summary>
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

    /// <summary>The folder holding Keel.slnx.</summary>
    public static string Root => _root.Value;

    /// <summary>A path under <c>samples/</c>.</summary>
    public static string Sample(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    /// <summary>The shipped tau-airline bundle.</summary>
    public static string AirlineBundle => Sample("tau-airline");

    /// <summary>The shipped 160 gpt-4o airline runs.</summary>
    public static string AirlineRuns => Sample("runs", "tau-bench", "gpt-4o-airline.json");

    /// <summary>A test bundle copied to the output folder from <c>TestData/bundles</c>.</summary>
    public static string TestBundle(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "bundles", name);
}
