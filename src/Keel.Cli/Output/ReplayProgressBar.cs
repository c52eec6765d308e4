using Keel.Replay;
using Keel.Reports;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Shows a progress bar while a replay job runs: runs stored out of runs imported (the total is final once every input is read).</summary>
internal static class ReplayProgressBar
{
    /// <summary>Runs <paramref name="job"/>, drawing its progress on <paramref name="console"/>; with no console (stderr is not a terminal:
    /// <see cref="KeelConsole.ForProgress"/>) the job runs without a bar.</summary>
    public static Task<ReplayReport> RunAsync(IAnsiConsole? console, Func<IProgress<ReplayProgress>, Task<ReplayReport>> job) =>
        ProgressDisplay.RunAsync(console, async context =>
        {
            var task = context?.AddTask("replaying runs", maxValue: 1);
            var report = await job(new SynchronousProgress<ReplayProgress>(p =>
            {
                if (task is not null)
                {
                    task.MaxValue = Math.Max(1, p.Imported);
                    task.Value = p.Stored;
                    task.Description = p.ImportDone ? $"replayed {p.Stored}/{p.Imported} runs" : $"replayed {p.Stored} runs (reading…)";
                }
            })).ConfigureAwait(false);
            if (task is not null)
            {
                task.MaxValue = Math.Max(1, report.Metrics.RunsReplayed);
                task.Value = task.MaxValue;
                task.Description = $"replayed {report.Metrics.RunsReplayed} runs";
            }

            return report;
        });
}
