using System.Globalization;
using System.Runtime.InteropServices;
using Keel.Bundles;

namespace Keel.Benchmarks.Reliability;

/// <summary><c>diskfull [--trials 3] [--mib 3]</c>: disk full during writes (<see cref="DiskFullScenario"/>) on a tmpfs of that many
/// MiB, grown to 64 MiB afterwards. Needs Linux and root (it mounts); exit code 1 when a promise broke, 3 when it cannot mount.
/// docs/reliability.md.</summary>
internal static class DiskFullDriver
{
    public const string Usage = "usage: diskfull [--trials N (default 3)] [--mib N (tmpfs size while full; default 3)]";

    public static async Task<int> RunAsync(string[] args)
    {
        int trials = 3, mib = 3;
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;
            switch (args[i])
            {
                case "--trials" when value > 0: trials = value; break;
                case "--mib" when value > 0: mib = value; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var agent = AgentBundleLoader.Load(Path.Combine(RepoPaths.Root, "tests", "Keel.Server.Tests", "TestData", "refund-desk"));
        Console.WriteLine($"Keel disk full during writes — {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine(Invariant($"{trials} trials; per trial a {mib} MiB tmpfs holding a fresh SQLite file, 4 agents calling refund_order (48 KB note) through the HTTP API until 40 answers are refusals; retry of each with its Idempotency-Key while full; tmpfs grown to 64 MiB; retry again"));
        Console.WriteLine();
        Console.WriteLine("| trial | calls | answers | executed-not-recorded | replayed while full | flushed in background | \"nothing was changed\" for an executed call | double executions | outcome missing | unrecorded at end | not 2xx at end | other 5xx | audit |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var broken = 0;
        for (var trial = 1; trial <= trials; trial++)
        {
            var (disk, reason) = await TmpfsMount.TryMountAsync(mib * 1024L * 1024);
            if (disk is null)
            {
                Console.Error.WriteLine($"cannot run: {reason}. The test suite covers the same promises with a store that fails its commits (FailingLiveRunStore).");
                return 3;
            }

            await using (disk)
            {
                var r = await DiskFullScenario.RunAsync(disk, agent, 64L * 1024 * 1024);
                var bad = r.FalseNothingChanged + r.DoubleExecutions + r.OutcomeMissing + r.UnrecordedAtEnd + r.NotAnsweredOkAtEnd + r.ServerErrors + (r.AuditIntact ? 0 : 1);
                broken += bad;
                Console.WriteLine(Invariant($"| {trial} | {r.Calls:N0} | {string.Join(", ", r.Answers.Select(a => $"{a.Key}: {a.Value}"))} | {r.ExecutedNotRecorded} | {r.ReplayedWhileFull} | {r.FlushedInBackground} | **{r.FalseNothingChanged}** | **{r.DoubleExecutions}** | {r.OutcomeMissing} | {r.UnrecordedAtEnd} | {r.NotAnsweredOkAtEnd} | {r.ServerErrors} | {(r.AuditIntact ? "intact" : "BROKEN")} ({r.AuditEvents:N0} events) |"));
            }
        }

        Console.WriteLine(broken == 0 ? "PASS: no false \"nothing was changed\", no double execution, every executed call recorded once space came back." : "FAIL: see the table.");
        return broken == 0 ? 0 : 1;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
