using Keel.Model;
using Keel.Statistics;
using Keel.Storage;

namespace Keel.Versions;

/// <summary>Task success rate (TSR) and cost per successful run (CPSR) of one workflow's runs under one version.</summary>
/// <param name="Workflow">The runs' workflow class (<see cref="Run.WorkflowClass"/>), <c>unknown</c> when they carry none.</param>
/// <param name="Runs">Runs of the workflow served by the version (any status).</param>
/// <param name="Ended">Of those, runs that ended: completed, failed, handed off or stopped.</param>
/// <param name="Succeeded">Of those, runs that completed.</param>
/// <param name="Tsr">Succeeded ÷ ended with its 95 % Wilson interval (<see cref="Wilson.Interval"/>); <see langword="null"/> when none ended.</param>
/// <param name="CostUsd">The model cost the ended runs reported on their messages (<see cref="MessageUsage.CostUsd"/>), USD.</param>
/// <param name="CostPerSuccessUsd"><see cref="CostUsd"/> ÷ <see cref="Succeeded"/>, USD (the CPSR of docs/drift.md: all ended runs' cost
/// over the successes); <see langword="null"/> when none succeeded.</param>
public sealed record WorkflowFigures(string Workflow, int Runs, int Ended, int Succeeded, ConfidenceInterval? Tsr, decimal CostUsd, decimal? CostPerSuccessUsd);

/// <summary>TSR and CPSR per workflow of the runs stored under each version (docs/versions.md, "Figures"). A live run succeeds when it
/// completed and fails when it failed, was handed off or stopped — the success the console's overview counts; runs still open are
/// counted but not rated. Thread-safe.</summary>
public static class VersionFigures
{
    /// <summary>How many of the workspace's newest runs <see cref="LoadAsync"/> reads: 1,000.</summary>
    public const int RunLimit = 1_000;

    /// <summary>Groups runs by the version they recorded (<see cref="Run.Version"/>), then by workflow.</summary>
    /// <param name="runs">The runs; those without a recorded version hash are left out.</param>
    /// <returns>Per version hash, one entry per workflow in ordinal order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runs"/> is <see langword="null"/>.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<WorkflowFigures>> Of(IEnumerable<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Of(runs.Where(r => r.Version?.Hash is not null).Select(r => new Served(r.Version!.Hash!, r.WorkflowClass, r.Status, RunListingValues.CostUsd(r))));
    }

    /// <summary>Reads the listing of the workspace's newest <see cref="RunLimit"/> runs and computes the figures of those served by the
    /// versions named. The listing carries each run's workflow, status and cost (<see cref="RunSummary.CostUsd"/>), so no run is read
    /// whole — except an ended run whose listing lacks its cost (stored before the store kept it), which is read for its messages.</summary>
    /// <param name="store">The run store.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="hashes">The versions of interest.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Per version hash that has runs, its figures per workflow.</returns>
    /// <exception cref="StoreException">The runs could not be read.</exception>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<WorkflowFigures>>> LoadAsync(IRunStore store, string workspaceId, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(hashes);
        var wanted = hashes.ToHashSet(StringComparer.Ordinal);
        var served = new List<Served>();
        foreach (var summary in await store.ListRunsAsync(workspaceId, RunLimit, cancellationToken).ConfigureAwait(false))
        {
            if (summary.Version?.Hash is not { } hash || !wanted.Contains(hash))
            {
                continue;
            }

            if (summary.CostUsd is { } cost)
            {
                served.Add(new Served(hash, summary.WorkflowClass, summary.Status, cost));
            }
            else if (await store.GetRunAsync(workspaceId, summary.Id, cancellationToken).ConfigureAwait(false) is { } run)
            {
                served.Add(new Served(hash, run.WorkflowClass, run.Status, RunListingValues.CostUsd(run)));
            }
        }

        return Of(served);
    }

    /// <summary>The figures in one line, e.g. <c>refunds: TSR 75 % (3/4, 95 % CI 30–95 %), CPSR 0.12 USD</c>.</summary>
    /// <param name="figures">One workflow's figures.</param>
    /// <returns>The text.</returns>
    public static string Describe(WorkflowFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var tsr = figures.Tsr is { } rate
            ? FormattableString.Invariant($"TSR {rate.Estimate * 100:0} % ({figures.Succeeded}/{figures.Ended}, 95 % CI {rate.Lower * 100:0}–{rate.Upper * 100:0} %)")
            : FormattableString.Invariant($"TSR - (0 of {figures.Runs} runs ended)");
        var cpsr = figures.CostPerSuccessUsd is { } cost ? FormattableString.Invariant($"CPSR {cost:0.####} USD") : "CPSR -";
        return $"{figures.Workflow}: {tsr}, {cpsr}";
    }

    private static Dictionary<string, IReadOnlyList<WorkflowFigures>> Of(IEnumerable<Served> runs) =>
        runs.GroupBy(r => r.Hash, StringComparer.Ordinal).ToDictionary(
            v => v.Key,
            v => (IReadOnlyList<WorkflowFigures>)[.. v.GroupBy(r => r.Workflow ?? "unknown", StringComparer.Ordinal).OrderBy(w => w.Key, StringComparer.Ordinal).Select(Figures)],
            StringComparer.Ordinal);

    private static WorkflowFigures Figures(IGrouping<string, Served> workflow)
    {
        var ended = workflow.Where(r => r.Status is RunStatus.Completed or RunStatus.Failed or RunStatus.HandedOff or RunStatus.Stopped).ToList();
        var succeeded = ended.Count(r => r.Status == RunStatus.Completed);
        var cost = ended.Sum(r => r.CostUsd);
        return new WorkflowFigures(workflow.Key, workflow.Count(), ended.Count, succeeded,
            ended.Count == 0 ? null : Wilson.Interval(succeeded, ended.Count), cost, succeeded == 0 ? null : cost / succeeded);
    }

    /// <summary>What the figures need of one run: the version that served it, its workflow, status and model cost (USD).</summary>
    private sealed record Served(string Hash, string? Workflow, RunStatus Status, decimal CostUsd);
}
