using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;
using Keel.Storage;
using Keel.Storage.Sqlite;

namespace Keel.Benchmarks.Throughput;

/// <summary>
/// <c>throughput [--runs N] [--trials T] [--parallelism P] [--only TEXT] [--no-profile]</c>: replays the shipped recordings through
/// <see cref="ReplayJob"/> end to end, passing each file several times until at least N runs (default 5,000), and prints
/// runs/s for the whole job and for its parts, beside a yardstick (parsing the same files with <see cref="JsonDocument"/>).
/// Every phase runs once as warm-up (a quarter of a trial); then T rounds (default 3) run every phase once each, and the
/// median per phase is reported.
/// </summary>
internal static class ThroughputDriver
{
    private const int BatchSize = 256;

    /// <summary>The standard monitors less the three that read the conversation (<see cref="SentimentMonitor"/>,
    /// <see cref="EscalationMonitor"/>, <see cref="ConversationTagMonitor"/>).</summary>
    private static readonly IReadOnlyList<IRunMonitor> s_withoutIntelligence =
        [.. RunMonitors.Standard.Where(m => m is not (SentimentMonitor or EscalationMonitor or ConversationTagMonitor))];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: throughput [--runs N (default 5000)] [--trials T (default 3)] [--parallelism P (default: cores)] [--only TEXT (phases whose name contains TEXT)] [--no-profile]");
            return 2;
        }

        var workloads = await Workload.LoadAllAsync();
        var perPass = workloads.Sum(w => w.Runs.Count);
        var repeats = (options.Runs + perPass - 1) / perPass;
        var temp = Directory.CreateTempSubdirectory("keel-throughput-");
        try
        {
            PrintHeader(options, workloads, perPass, repeats, temp.FullName);
            var replayedRuns = await ReplayOnceAsync(workloads);
            var results = new List<(string Name, PhaseSample[] Trials)>();
            var dbCounter = 0;
            string NewDb() => Path.Combine(temp.FullName, $"keel-{++dbCounter}.db");
            async Task<IRunStore> OpenSqlite() => await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = NewDb() });
            async Task<IRunStore> OpenLayout(WhatIfStores.Layout layout) => await WhatIfStores.OpenAsync(NewDb(), layout);
            var shipped = await ShippedLayoutAsync(NewDb());
            Console.WriteLine($"SQLite layout the shipped migrations create: {shipped}");
            Console.WriteLine($"Parallel speedup available at the start: {Calibration.Measure(options.Parallelism):N2}x on {options.Parallelism} threads (a pure-CPU loop; below {options.Parallelism} means other processes took CPU).");

            var phases = new List<(string Name, Func<int, Task<int>> Run)>();
            void Phase(string name, Func<int, Task<int>> phase)
            {
                // --only keeps the yardstick (the first phase) and the phases whose name contains the text.
                if (options.Only is not { } only || phases.Count == 0 || name.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    phases.Add((name, phase));
                }
            }

            var layouts = new[] { WhatIfStores.Layout.WithoutRowid4K, WhatIfStores.Layout.RowidEvents4K, WhatIfStores.Layout.Rowid4K, WhatIfStores.Layout.Rowid16K };
            await VerifyRoundTripAsync(await OpenSqlite(), replayedRuns);
            foreach (var layout in layouts)
            {
                await VerifyRoundTripAsync(await OpenLayout(layout), replayedRuns);
            }

            Phase("yardstick: File.ReadAllBytes + JsonDocument.Parse of the same files", k => ParseOnlyAsync(workloads, k));
            Phase("import only (IRunImporter.ReadAsync, 1 thread)", k => ImportOnlyAsync(workloads, k));
            Phase("replay only, 1 thread (ReplayEngine on imported runs)", k => ReplayOnlyAsync(workloads, k, 1));
            Phase($"replay only, {options.Parallelism} threads (ReplayEngine on imported runs)", k => ReplayOnlyAsync(workloads, k, options.Parallelism));
            Phase("store only: InMemoryRunStore.SaveRunAsync", k => SaveAsync(replayedRuns, k, () => Task.FromResult<IRunStore>(new InMemoryRunStore())));
            Phase("store only: SqliteRunStore.SaveRunAsync (a commit per run)", k => SaveAsync(replayedRuns, k, OpenSqlite));
            Phase($"store only: SqliteRunStore.SaveRunsAsync (a commit per {BatchSize} runs)", k => SaveAsync(replayedRuns, k, OpenSqlite, BatchSize));
            foreach (var layout in layouts)
            {
                Phase($"store only, layout {layout}: a commit per {BatchSize} runs", k => SaveAsync(replayedRuns, k, () => OpenLayout(layout), BatchSize));
            }

            Phase($"store only, layout {WhatIfStores.Layout.WithoutRowid4K}: a commit per run", k => SaveAsync(replayedRuns, k, () => OpenLayout(WhatIfStores.Layout.WithoutRowid4K)));
            Phase($"store only, layout {WhatIfStores.Layout.Rowid16K}: a commit per run", k => SaveAsync(replayedRuns, k, () => OpenLayout(WhatIfStores.Layout.Rowid16K)));
            Phase("ReplayJob: import + replay + report, no store", k => JobAsync(workloads, k, options.Parallelism, () => Task.FromResult<IRunStore>(new WhatIfStores.Null())));
            Phase("ReplayJob: import + replay + report + InMemoryRunStore", k => JobAsync(workloads, k, options.Parallelism, () => Task.FromResult<IRunStore>(new InMemoryRunStore())));
            // The whole job runs the standard monitors, so it is also the "intelligence on" row of the pair that `--only intelligence` picks.
            Phase("ReplayJob: import + replay + report + SqliteRunStore = the whole job, intelligence on (the standard monitors)", k => JobAsync(workloads, k, options.Parallelism, OpenSqlite));
            Phase("intelligence off: ReplayJob + SqliteRunStore, without sentiment, escalation, conversation tags", k => JobAsync(workloads, k, options.Parallelism, OpenSqlite, s_withoutIntelligence));
            Phase($"ReplayJob, what-if: SQLite commit per {BatchSize} runs", k => JobAsync(workloads, k, options.Parallelism, async () => new WhatIfStores.Batching((SqliteRunStore)await OpenSqlite(), BatchSize)));
            Phase($"ReplayJob, what-if: layout {WhatIfStores.Layout.WithoutRowid4K}", k => JobAsync(workloads, k, options.Parallelism, () => OpenLayout(WhatIfStores.Layout.WithoutRowid4K)));
            Phase($"ReplayJob, what-if: layout {WhatIfStores.Layout.Rowid16K}", k => JobAsync(workloads, k, options.Parallelism, () => OpenLayout(WhatIfStores.Layout.Rowid16K)));
            Phase($"ReplayJob, what-if: layout {WhatIfStores.Layout.Rowid16K}, commit per {BatchSize} runs", k => JobAsync(workloads, k, options.Parallelism, async () => new WhatIfStores.Batching((SqliteRunStore)await OpenLayout(WhatIfStores.Layout.Rowid16K), BatchSize)));
            Phase($"ReplayJob, what-if: shipped layout, commit per {BatchSize} runs by a background writer", k => JobAsync(workloads, k, options.Parallelism, async () => new WhatIfStores.BackgroundBatching((SqliteRunStore)await OpenSqlite(), BatchSize)));
            Phase($"ReplayJob, what-if: layout {WhatIfStores.Layout.Rowid16K}, commit per {BatchSize} runs by a background writer", k => JobAsync(workloads, k, options.Parallelism, async () => new WhatIfStores.BackgroundBatching((SqliteRunStore)await OpenLayout(WhatIfStores.Layout.Rowid16K), BatchSize)));

            // Warm-up: every phase once on a quarter of a trial (at least one pass over every file), so that tiered JIT has
            // promoted the hot code. Then the trials round-robin over the phases, so a noisy minute on this shared machine
            // spreads over all of them instead of sinking one.
            Console.WriteLine($"Warming up {phases.Count} phases...");
            foreach (var (_, run) in phases)
            {
                await run(Math.Max(1, repeats / 4));
            }

            var trials = phases.Select(_ => new PhaseSample[options.Trials]).ToArray();
            for (var t = 0; t < options.Trials; t++)
            {
                for (var i = 0; i < phases.Count; i++)
                {
                    trials[i][t] = await PhaseSample.MeasureAsync(() => phases[i].Run(repeats));
                }

                Console.WriteLine($"  round {t + 1}/{options.Trials} done; parallel speedup available now: {Calibration.Measure(options.Parallelism):N2}x");
            }

            Console.WriteLine("Runs/s, median of the trials:");
            for (var i = 0; i < phases.Count; i++)
            {
                var median = Median(trials[i]);
                results.Add((phases[i].Name, trials[i]));
                Console.WriteLine($"  {phases[i].Name,-74} {median.RunsPerSecond,9:N0} runs/s  (trials: {string.Join(", ", trials[i].Select(s => s.RunsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))})");
            }

            PrintResults(results);
            if (options.Profile)
            {
                await ProfileAsync(workloads, repeats);
            }

            return 0;
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void PrintHeader(Options options, IReadOnlyList<Workload> workloads, int perPass, int repeats, string temp)
    {
        Console.WriteLine($"Keel replay throughput: {Environment.ProcessorCount} cores, .NET {Environment.Version}, GC {(GCSettings.IsServerGC ? "server" : "workstation")}{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " concurrent" : string.Empty)}");
        Console.WriteLine($"Workloads (one pass = {perPass} runs; each file passed {repeats} times = {perPass * repeats} runs per trial, {options.Trials} trials, parallelism {options.Parallelism}):");
        foreach (var w in workloads)
        {
            Console.WriteLine($"  {w.Name,-13} {w.Runs.Count,4} runs, {w.Bytes / 1024.0,7:N0} KiB  {Path.GetRelativePath(RepoPaths.Root, w.File)}  with  {Path.GetRelativePath(RepoPaths.Root, w.Bundle)}");
        }

        Console.WriteLine($"SQLite files in {temp}");
        Console.WriteLine();
    }

    private static void PrintResults(List<(string Name, PhaseSample[] Trials)> results)
    {
        var yardstick = Median(results[0].Trials).RunsPerSecond;
        Console.WriteLine();
        Console.WriteLine("| phase | runs/trial | runs/s (median) | µs/run | CPU cores busy | KiB allocated/run | GC pause | gen2 GCs | × JSON-parse time |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, trials) in results)
        {
            var m = Median(trials);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {m.Runs:N0} | {m.RunsPerSecond:N0} | {m.MicrosPerRun:N0} | {m.CoresBusy:N2} | {m.KiBPerRun:N0} | {m.GcPause / m.Wall:P0} | {m.Gen2} | {yardstick / m.RunsPerSecond:N1} |"));
        }

        Console.WriteLine();
    }

    private static async Task ProfileAsync(IReadOnlyList<Workload> workloads, int repeats)
    {
        // Warm up the profiling path, then profile one thread over the same number of runs as a trial.
        var warm = new ReplayProfiler();
        foreach (var w in workloads)
        {
            await warm.ProfileAsync(w, w.Runs);
        }

        var profiler = new ReplayProfiler();
        foreach (var w in workloads)
        {
            await profiler.ProfileAsync(w, Enumerable.Range(0, repeats).SelectMany(_ => w.Runs));
        }

        var rows = profiler.Rows(side: false).OrderByDescending(r => r.TotalMs).ToList();
        var total = rows.Sum(r => r.TotalMs);
        Console.WriteLine($"Profile, 1 thread, {profiler.Runs:N0} runs: a Stopwatch around each part, every part exclusive of the others (import and SQLite are in the table above).");
        Console.WriteLine();
        Console.WriteLine("| part | µs/run | µs/call | share |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.MicrosPerRun:N1} | {(r.MicrosPerCall is { } c ? c.ToString("N1", CultureInfo.InvariantCulture) : string.Empty)} | {r.TotalMs / total:P1} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| total | {total * 1000 / profiler.Runs:N1} | | 100% |"));
        Console.WriteLine();
        Console.WriteLine("Side measurements (outside the timers above): parts of the schema and record stages, and each policy rule evaluated alone; top 20:");
        Console.WriteLine();
        Console.WriteLine("| what | times | µs each | µs/run |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var r in profiler.Rows(side: true).OrderByDescending(r => r.TotalMs).Take(20))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Count:N0} | {r.MicrosPerCall:N1} | {r.MicrosPerRun:N1} |"));
        }

        Console.WriteLine();
    }

    private static async Task<IReadOnlyList<Run>> ReplayOnceAsync(IReadOnlyList<Workload> workloads)
    {
        var runs = new List<Run>();
        foreach (var w in workloads)
        {
            var engine = new ReplayEngine(w.Agent);
            foreach (var recorded in w.Runs)
            {
                runs.Add((await engine.ReplayAsync(recorded)).Run);
            }
        }

        return runs;
    }

    private static Task<int> ParseOnlyAsync(IReadOnlyList<Workload> workloads, int repeats)
    {
        var runs = 0;
        foreach (var w in workloads)
        {
            for (var r = 0; r < repeats; r++)
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(w.File));
                runs += w.Runs.Count;
            }
        }

        return Task.FromResult(runs);
    }

    private static async Task<int> ImportOnlyAsync(IReadOnlyList<Workload> workloads, int repeats)
    {
        var runs = 0;
        foreach (var w in workloads)
        {
            for (var r = 0; r < repeats; r++)
            {
                await foreach (var _ in w.Importer.ReadAsync(w.File, new Importers.ImportDiagnostics()))
                {
                    runs++;
                }
            }
        }

        return runs;
    }

    private static async Task<int> ReplayOnlyAsync(IReadOnlyList<Workload> workloads, int repeats, int parallelism)
    {
        var runs = 0;
        foreach (var w in workloads)
        {
            var engine = new ReplayEngine(w.Agent);
            var all = Enumerable.Range(0, repeats).SelectMany(_ => w.Runs);
            await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (run, ct) =>
            {
                await engine.ReplayAsync(run, ct);
                Interlocked.Increment(ref runs);
            });
        }

        return runs;
    }

    private static async Task<int> SaveAsync(IReadOnlyList<Run> runs, int repeats, Func<Task<IRunStore>> open, int batch = 0)
    {
        var store = await open();
        try
        {
            for (var r = 0; r < repeats; r++)
            {
                if (batch > 0)
                {
                    foreach (var chunk in runs.Chunk(batch))
                    {
                        await ((SqliteRunStore)store).SaveRunsAsync(chunk);
                    }
                }
                else
                {
                    foreach (var run in runs)
                    {
                        await store.SaveRunAsync(run);
                    }
                }
            }
        }
        finally
        {
            await DisposeAsync(store);
        }

        return runs.Count * repeats;
    }

    private static async Task<int> JobAsync(IReadOnlyList<Workload> workloads, int repeats, int parallelism, Func<Task<IRunStore>> open, IReadOnlyList<IRunMonitor>? monitors = null)
    {
        var store = await open();
        try
        {
            var runs = 0;
            foreach (var w in workloads)
            {
                var job = new ReplayJob(w.Agent, store) { Parallelism = parallelism, Monitors = monitors ?? RunMonitors.Standard };
                var report = await job.RunAsync(Enumerable.Repeat(w.File, repeats).ToList());
                var expected = w.Runs.Count * repeats;
                if (report.Metrics.RunsReplayed != expected)
                {
                    throw new InvalidOperationException($"{w.Name}: the job replayed {report.Metrics.RunsReplayed} runs, expected {expected}");
                }

                runs += report.Metrics.RunsReplayed;
            }

            switch (store)
            {
                case WhatIfStores.Batching batching:
                    await batching.FlushAsync();
                    break;
                case WhatIfStores.BackgroundBatching background:
                    await background.FlushAsync();
                    break;
            }

            return runs;
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    /// <summary>Saves every run (one by one and in a batch) and reads each back: the what-if layouts must store the same runs
    /// (redacted as the store's default redactor does).</summary>
    private static async Task VerifyRoundTripAsync(IRunStore store, IReadOnlyList<Run> runs)
    {
        try
        {
            await ((SqliteRunStore)store).SaveRunsAsync(runs);
            await store.SaveRunAsync(runs[0]);
            foreach (var run in runs)
            {
                var back = await store.GetRunAsync(run.WorkspaceId, run.Id) ?? throw new InvalidOperationException($"run {run.Id} was not stored");
                if (back.Events.Count != run.Events.Count || back.Failures.Count != run.Failures.Count || back.Status != run.Status
                    || Storage.RunEventJson.Serialize(back.Events[^1]) != Storage.RunEventJson.Serialize(run.Events[^1], Redaction.Redactor.Default))
                {
                    throw new InvalidOperationException($"run {run.Id} did not round-trip");
                }
            }
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    private static async Task<WhatIfStores.Layout> ShippedLayoutAsync(string path)
    {
        await (await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = path })).DisposeAsync();
        return WhatIfStores.Describe(path);
    }

    private static async Task DisposeAsync(IRunStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private static PhaseSample Median(PhaseSample[] trials) => trials.OrderBy(t => t.RunsPerSecond).ElementAt(trials.Length / 2);

    private sealed record Options(int Runs, int Trials, int Parallelism, bool Profile, string? Only = null)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(5000, 3, Environment.ProcessorCount, true);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                        options = options with { Runs = n };
                        i++;
                        break;
                    case "--trials" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var t) && t > 0:
                        options = options with { Trials = t };
                        i++;
                        break;
                    case "--parallelism" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var p) && p > 0:
                        options = options with { Parallelism = p };
                        i++;
                        break;
                    case "--only" when i + 1 < args.Length:
                        options = options with { Only = args[i + 1] };
                        i++;
                        break;
                    case "--no-profile":
                        options = options with { Profile = false };
                        break;
                    default:
                        return null;
                }
            }

            return options;
        }
    }
}
