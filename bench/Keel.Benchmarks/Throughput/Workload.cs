using Keel.Bundles;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;

namespace Keel.Benchmarks.Throughput;

/// <summary>One shipped recording with the agent bundle it is replayed against, and its runs imported once.</summary>
internal sealed class Workload
{
    private Workload(string name, string bundle, string file, AgentVersion agent, IRunImporter importer, IReadOnlyList<RecordedRun> runs)
    {
        Name = name;
        Bundle = bundle;
        File = file;
        Agent = agent;
        Importer = importer;
        Runs = runs;
    }

    public string Name { get; }

    public string Bundle { get; }

    public string File { get; }

    public AgentVersion Agent { get; }

    public IRunImporter Importer { get; }

    /// <summary>The runs of <see cref="File"/>, imported once (for the phases that leave import out).</summary>
    public IReadOnlyList<RecordedRun> Runs { get; }

    public long Bytes => new FileInfo(File).Length;

    /// <summary>The four shipped recordings: tau-bench airline (160 runs) and tau2-bench airline, retail, telecom.</summary>
    public static async Task<IReadOnlyList<Workload>> LoadAllAsync()
    {
        (string Name, string Bundle, string File)[] specs =
        [
            ("tau-airline", "tau-airline", Path.Combine("tau-bench", "gpt-4o-airline.json")),
            ("tau2-airline", "tau2-airline", Path.Combine("tau2-bench", "gpt-4.1_airline_default_gpt-4.1_1trials.json")),
            ("tau2-retail", "tau2-retail", Path.Combine("tau2-bench", "gpt-4.1_retail_defautl_gpt-4.1_1trials.json")),
            ("tau2-telecom", "tau2-telecom", Path.Combine("tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json")),
        ];
        var workloads = new List<Workload>();
        foreach (var (name, bundle, file) in specs)
        {
            var bundlePath = RepoPaths.Sample(bundle);
            var filePath = RepoPaths.Sample("runs", file);
            var agent = AgentBundleLoader.Load(bundlePath);
            var importer = RunImporters.Default.Find(filePath);
            var diagnostics = new ImportDiagnostics();
            var runs = new List<RecordedRun>();
            await foreach (var run in importer.ReadAsync(filePath, diagnostics))
            {
                runs.Add(run);
            }

            if (diagnostics.SkippedCount > 0 || runs.Count == 0)
            {
                throw new InvalidOperationException($"{filePath}: {runs.Count} runs, {diagnostics.SkippedCount} skipped: {string.Join("; ", diagnostics.Skipped)}");
            }

            workloads.Add(new Workload(name, bundlePath, filePath, agent, importer, runs));
        }

        return workloads;
    }
}
