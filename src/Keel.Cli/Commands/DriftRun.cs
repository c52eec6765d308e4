using System.Text.Json;
using Keel.Cli.Output;
using Keel.Drift;
using Keel.Importers;
using Keel.Replay;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>What <c>keel drift</c> does: read and replay both sets, test, print, write, alert.</summary>
internal static class DriftRun
{
    /// <summary>Seconds the alert webhook has to answer: 10.</summary>
    private const int WebhookTimeoutSeconds = 10;

    internal sealed record Arguments(string[] Baseline, string[] Current, string[] Agents, bool Json, string? Out, Uri? Webhook, double Alpha, int MinRuns,
        int Parallelism, int SplitTrials, int Seed, bool IndependentCalls)
    {
        /// <summary>The composition (plugins included) the bundles load, the runs are read and the replays run with.</summary>
        public Composition.KeelComponents Components { get; init; } = Composition.KeelComponents.Standard;
    }

    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var options = new DriftOptions { FalseDiscoveryRate = args.Alpha, MinRuns = args.MinRuns, TreatCallsAsIndependent = args.IndependentCalls };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message.Split(" (Parameter")[0]}");
            return ExitCodes.BadInput;
        }

        var splitting = args.SplitTrials > 0;
        if (splitting == args.Current.Length > 0)
        {
            console.MarkupLine(splitting
                ? "[red]error:[/] --split-trials splits the --baseline runs into two halves; give no --current."
                : "[red]error:[/] give the runs to compare with the baseline: --current <runs>...");
            return ExitCodes.BadInput;
        }

        if (AgentBundles.Load(args.Agents, console, args.Components) is not { } agents)
        {
            return ExitCodes.BadInput;
        }

        DriftJob job;
        try
        {
            job = new DriftJob(agents, args.Components) { Parallelism = Math.Max(1, args.Parallelism) };
        }
        catch (ArgumentException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message.Split(" (Parameter")[0]}");
            return ExitCodes.BadInput;
        }

        var diagnostics = new ImportDiagnostics();
        if (await RunFiles.ReadAsync(args.Baseline, diagnostics, args.Components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } baselineRuns
            || await RunFiles.ReadAsync(args.Current, diagnostics, args.Components.Importers, console, cancellationToken).ConfigureAwait(false) is not { } currentRuns)
        {
            return ExitCodes.BadInput;
        }

        var (baseline, current) = await MeasureAsync(KeelConsole.ForProgress(), job, baselineRuns, currentRuns, diagnostics, cancellationToken).ConfigureAwait(false);
        foreach (var skipped in diagnostics.Skipped)
        {
            await Console.Error.WriteLineAsync($"skipped: {skipped}").ConfigureAwait(false);
        }

        if (splitting)
        {
            return await SplitAsync(args, options, baseline, console, cancellationToken).ConfigureAwait(false);
        }

        var report = DriftDetector.Compare(baseline, current, options) with
        {
            BaselineInputs = args.Baseline,
            CurrentInputs = args.Current,
            Agents = job.Agents,
            SkippedRecords = [.. diagnostics.Skipped.Select(s => s.ToString())],
        };
        var text = JsonSerializer.Serialize(report, DriftJsonContext.Default.DriftReport);
        if (args.Json)
        {
            await Console.Out.WriteLineAsync(text).ConfigureAwait(false);
        }
        else
        {
            DriftOutput.Write(console, report);
        }

        if (args.Out is { } path)
        {
            await ReportFiles.WriteAtomicAsync(path, text + "\n", cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"JSON report: {path}").ConfigureAwait(false);
        }

        if (report.Drifted && args.Webhook is { } webhook)
        {
            await AlertAsync(webhook, DriftAlert.Text(report), "drift alert", cancellationToken).ConfigureAwait(false);
        }

        return report.Drifted ? ExitCodes.Drifted : ExitCodes.Ok;
    }

    /// <summary>Posts an alert (<c>{"text": …}</c>) to the webhook; one attempt. A webhook that fails is reported on stderr and does not
    /// change the exit code, which already says what happened. <paramref name="what"/> names the alert in those lines.</summary>
    internal static async Task AlertAsync(Uri webhook, string text, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(WebhookTimeoutSeconds) };
            var status = await DriftAlert.PostAsync(client, webhook, text, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(status is >= 200 and < 300 ? $"{what} posted to {webhook.Host} ({status})" : $"warning: the {what} webhook answered {status}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"warning: the {what} could not be posted to {webhook.Host}: {ex.Message}").ConfigureAwait(false);
        }
    }

    private static async Task<int> SplitAsync(Arguments args, DriftOptions options, IReadOnlyList<RunMetrics> runs, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (runs.Count < 2)
        {
            console.MarkupLine("[red]error:[/] --split-trials needs at least 2 runs in --baseline.");
            return ExitCodes.BadInput;
        }

        var trials = DriftSplits.Run(runs, args.SplitTrials, args.Seed, options);
        if (args.Json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(trials, DriftJsonContext.Default.SplitTrials)).ConfigureAwait(false);
        }
        else
        {
            DriftOutput.Write(console, trials);
        }

        if (args.Out is { } path)
        {
            await ReportFiles.WriteAtomicAsync(path, JsonSerializer.Serialize(trials, DriftJsonContext.Default.SplitTrials) + "\n", cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Replays both sets under the job's agents (with a progress display on a terminal) and extracts their metrics.</summary>
    internal static Task<(IReadOnlyList<RunMetrics> Baseline, IReadOnlyList<RunMetrics> Current)> MeasureAsync(IAnsiConsole? progressConsole, DriftJob job,
        IReadOnlyList<RecordedRun> baselineRuns, IReadOnlyList<RecordedRun> currentRuns, ImportDiagnostics diagnostics, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(progressConsole, async context =>
        {
            var baseline = await MeasureOneAsync(context, $"replaying {baselineRuns.Count} baseline runs", job, baselineRuns, diagnostics, cancellationToken).ConfigureAwait(false);
            var current = await MeasureOneAsync(context, $"replaying {currentRuns.Count} current runs", job, currentRuns, diagnostics, cancellationToken).ConfigureAwait(false);
            return (baseline, current);
        }, autoClear: true);

    private static async Task<IReadOnlyList<RunMetrics>> MeasureOneAsync(ProgressContext? context, string description, DriftJob job, IReadOnlyList<RecordedRun> runs,
        ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var task = context?.AddTask(description, maxValue: Math.Max(1, runs.Count));
        var measured = await job.MeasureAsync(runs, diagnostics, task is null ? null : new SynchronousProgress<int>(n => task.Value = n), cancellationToken).ConfigureAwait(false);
        if (task is not null)
        {
            task.Value = task.MaxValue;
        }

        return measured;
    }
}
