using Keel.Bundles;
using Keel.Cli.Output;
using Keel.Drift;
using Keel.Importers;
using Keel.Model;
using Keel.Triggers;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>What <c>keel version watch</c> does: replay the baseline and the current runs under the agent's watched version (its
/// candidate during a staged rollout, otherwise its stable version, loaded from the registry), judge the triggers
/// (<see cref="TriggerEvaluator"/>), apply the strongest fired action through the registry (<see cref="TriggerActuator"/>) and post the
/// alert (docs/versions.md, "Triggers").</summary>
internal static class VersionWatch
{
    internal sealed record Arguments(string Agent, string[] Baseline, string[] Current, string? Triggers, Uri? Webhook, bool DryRun, double Alpha, int MinRuns, int Parallelism);

    public static async Task<int> RunAsync(VersionOptions options, Arguments args, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var drift = new DriftOptions { FalseDiscoveryRate = args.Alpha, MinRuns = args.MinRuns };
        try
        {
            drift.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return AdminStore.Fail(console, ex.Message.Split(" (Parameter")[0], ExitCodes.BadInput);
        }

        var rules = TriggerRule.Defaults;
        if (args.Triggers is { } path)
        {
            var (loaded, diagnostics) = TriggerFile.Load(path);
            foreach (var diagnostic in diagnostics)
            {
                console.Profile.Out.Writer.WriteLine(diagnostic.ToString());
            }

            if (loaded is null)
            {
                return AdminStore.Fail(console, $"{path} has errors; no trigger was judged.", ExitCodes.BadInput);
            }

            rules = loaded;
        }

        var skipped = new ImportDiagnostics();
        if (await RunFiles.ReadAsync(args.Baseline, skipped, options.Components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } baselineRuns
            || await RunFiles.ReadAsync(args.Current, skipped, options.Components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } currentRuns)
        {
            return ExitCodes.BadInput;
        }

        return await VersionRun.RunAsync(options, console, async store =>
        {
            var versions = await store.Versions.ListVersionsAsync(options.Workspace, args.Agent, cancellationToken);
            if ((versions.FirstOrDefault(v => v.IsCandidate) ?? versions.FirstOrDefault(v => v.IsStable)) is not { } watched)
            {
                return AdminStore.Fail(console, $"agent '{args.Agent}' has no released version to watch in workspace '{options.Workspace}'; 'keel version list' shows its versions.", ExitCodes.NotFound);
            }

            AgentVersion agent;
            try
            {
                agent = (await store.Versions.GetVersionContentAsync(options.Workspace, watched.Hash, cancellationToken))?.Load(options.Components.PolicyOptions())
                    ?? throw new BundleLoadException($"the files of {watched.Hash} are missing from the store");
            }
            catch (BundleLoadException ex)
            {
                return AdminStore.Fail(console, $"{watched.Hash} does not load from its stored files: {ex.Message}", ExitCodes.StoreFailed);
            }

            var job = new DriftJob([agent], options.Components) { Parallelism = Math.Max(1, args.Parallelism) };
            var (baseline, current) = await DriftRun.MeasureAsync(KeelConsole.ForProgress(), job, baselineRuns, currentRuns, skipped, cancellationToken);
            foreach (var record in skipped.Skipped)
            {
                await Console.Error.WriteLineAsync($"skipped: {record}");
            }

            var report = TriggerEvaluator.Evaluate(baseline, current, rules, drift);
            var applied = await TriggerActuator.ApplyAsync(store.Versions, options.Workspace, args.Agent, watched.Hash, report, args.DryRun, cancellationToken);
            var role = watched.IsCandidate ? $"candidate, {watched.SharePercent} % of new runs" : "stable";
            Write(console, options.Json, args.Agent, watched.Hash, role, report, applied);
            if (applied.Result is not null && !args.DryRun && args.Webhook is { } webhook)
            {
                await DriftRun.AlertAsync(webhook, TriggerAlert.Text(args.Agent, watched.Hash, report, applied), "trigger alert", cancellationToken);
            }

            return applied switch
            {
                { Result: null } => ExitCodes.Ok,
                { Outcome: { Succeeded: false } refused } => VersionRun.Code(refused.Error!.Value),
                { Changed: true } => ExitCodes.TriggerApplied,
                _ => ExitCodes.Drifted,
            };
        });
    }

    private static void Write(IAnsiConsole console, bool json, string agent, string hash, string role, TriggerReport report, TriggerApplied applied)
    {
        if (json)
        {
            VersionOutput.Json(console, new VersionWatchJson(agent, hash, role, report.Drift.BaselineRuns, report.Drift.CurrentRuns, [.. report.Results.Select(r =>
                new TriggerJson(r.Rule.Id, TriggerRule.Name(r.Rule.Condition), TriggerRule.Name(r.Rule.Action), r.Status, r.Reason,
                    [.. r.Metrics.Select(m => new TriggerMetricJson(m.Name, m.Baseline.Display, m.Current.Display, m.Verdict, m.AdjustedPValue))]))],
                new TriggerActionJson(applied.Result?.Rule.Id, applied.Text, applied.Changed, applied.Outcome?.Event is { } e ? VersionEventJson.From(e) : null)));
            return;
        }

        var writer = console.Profile.Out.Writer;
        writer.WriteLine($"Watched: {agent} {hash} ({role}); {report.Drift.CurrentRuns} current runs against a baseline of {report.Drift.BaselineRuns}.");
        AdminOutput.Table(console, ["trigger", "when", "action", "status", "why"], report.Results.Select(r => new[]
        {
            r.Rule.Id, TriggerRule.Name(r.Rule.Condition), TriggerRule.Name(r.Rule.Action), Status(r.Status), r.Reason,
        }));
        writer.WriteLine($"Action: {applied.Text}");
    }

    private static string Status(TriggerStatus status) => status switch
    {
        TriggerStatus.Fired => "fired",
        TriggerStatus.Quiet => "quiet",
        TriggerStatus.NotEnoughRuns => "not_enough_runs",
        _ => "not_recorded",
    };
}
