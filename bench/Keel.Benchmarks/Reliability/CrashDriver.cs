using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Keel.Benchmarks.Reliability;

/// <summary><c>crash [--trials 10] [--seconds 5] [--workers 8] [--seed 1]</c>: kill -9 under load (<see cref="CrashTrial"/>), a table
/// per trial and the total; exit code 1 when any acknowledged event, run or decision was lost or the audit chain broke.
/// docs/reliability.md.</summary>
internal static class CrashDriver
{
    public const string Usage = "usage: crash [--trials N (default 10)] [--seconds S (longest load before the kill; default 5)] [--workers N (default 8)] [--seed N (default 1)]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (Options(args) is not { } o)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var keelDll = Path.Combine(AppContext.BaseDirectory, "keel.dll");
        var tauTools = Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll");
        using var reservations = JsonDocument.Parse(await File.ReadAllBytesAsync(RepoPaths.Sample("tau-airline", "db", "reservations.json")));
        var options = new CrashOptions(keelDll, tauTools, RepoPaths.Sample("tau-airline"), [.. reservations.RootElement.EnumerateObject().Select(p => p.Name)],
            TimeSpan.FromSeconds(o.Seconds), o.Workers);
        Console.WriteLine($"Keel kill -9 under load — {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine(Invariant($"{o.Trials} trials; per trial a fresh SQLite file, `dotnet keel.dll serve` with keel-tau-tools over stdio, {o.Workers} agents calling {CrashTrial.Tool}; SIGKILL at a random time in [{o.Seconds / 2.0:0.#}, {o.Seconds}] s; seed {o.Seed}"));
        Console.WriteLine();
        Console.WriteLine("| trial | killed after s | runs acked | calls acked | events acked | events lost | runs lost | wrong decisions | 503 executed-not-recorded | other non-2xx | in flight (unacked) | audit |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var results = new List<CrashResult>();
        for (var trial = 1; trial <= o.Trials; trial++)
        {
            var folder = Directory.CreateTempSubdirectory("keel-crash-");
            try
            {
                var r = await CrashTrial.RunAsync(options, folder.FullName, o.Seed * 1000 + trial, CancellationToken.None);
                results.Add(r);
                Console.WriteLine(Invariant($"| {trial} | {r.KilledAfter.TotalSeconds:0.00} | {r.AckedRuns:N0} | {r.AckedCalls:N0} | {r.AckedEvents:N0} | {r.LostEvents} | {r.LostRuns} | {r.WrongDecisions} | {r.ExecutedNotRecorded} | {r.OtherRefusals} | {r.InFlight} | {(r.AuditIntact ? "intact" : "BROKEN")} ({r.AuditEvents:N0} events) |"));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }
        }

        var lost = results.Sum(r => r.LostEvents + r.LostRuns + r.WrongDecisions);
        Console.WriteLine(Invariant($"| **total** | | {results.Sum(r => r.AckedRuns):N0} | {results.Sum(r => r.AckedCalls):N0} | {results.Sum(r => r.AckedEvents):N0} | **{results.Sum(r => r.LostEvents)}** | {results.Sum(r => r.LostRuns)} | {results.Sum(r => r.WrongDecisions)} | {results.Sum(r => r.ExecutedNotRecorded)} | {results.Sum(r => r.OtherRefusals)} | {results.Sum(r => r.InFlight)} | {results.Count(r => r.AuditIntact)}/{results.Count} intact |"));
        var ok = lost == 0 && results.All(r => r.AuditIntact);
        Console.WriteLine(ok ? "PASS: 0 acknowledged events lost, every audit chain intact." : "FAIL: acknowledged events lost or an audit chain broken.");
        return ok ? 0 : 1;
    }

    private static (int Trials, int Seconds, int Workers, int Seed)? Options(string[] args)
    {
        (int Trials, int Seconds, int Workers, int Seed) o = (10, 5, 8, 1);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null;
            switch (args[i])
            {
                case "--trials" when value is { } v: o.Trials = v; break;
                case "--seconds" when value is { } v: o.Seconds = v; break;
                case "--workers" when value is { } v: o.Workers = v; break;
                case "--seed" when value is { } v: o.Seed = v; break;
                default: return null;
            }
        }

        return o;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
