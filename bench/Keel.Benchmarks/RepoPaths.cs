namespace Keel.Benchmarks;

/// <summary>Finds the repository root (the folder holding <c>Keel.slnx</c>) from the current or the executable's directory.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Sample(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    private static string FindRoot()
    {
        // BenchmarkDotNet runs each benchmark in a generated child project under bin/, so try both starting points.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"Keel.slnx not found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}': run the benchmarks from inside the repository.");
    }
}
