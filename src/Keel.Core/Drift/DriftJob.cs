using Keel.Evals;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;

namespace Keel.Drift;

/// <summary>Replays recorded runs through an agent version in audit mode (<see cref="ReplayEngine"/>, the same pipeline and monitors
/// as <c>keel replay</c>, nothing stored) and extracts each run's drift metrics (<see cref="RunMetricsExtractor"/>).</summary>
public sealed class DriftJob
{
    private readonly IReadOnlyList<AgentVersion> _agents;
    private readonly ReplayEngine? _single;
    private readonly Dictionary<string, ReplayEngine> _byDomain;
    private readonly RunMetricsExtractor _extractor = new();

    /// <summary>Creates a job.</summary>
    /// <param name="agents">One agent version for every run, or several, each declaring a distinct domain, each run going to its domain's.</param>
    /// <param name="components">The composition whose monitors and extra stages the replays run (a plugin's among them), as
    /// <c>keel replay</c>'s; <see langword="null"/> for <see cref="Composition.KeelComponents.Standard"/>.</param>
    /// <exception cref="ArgumentException">No agent, or several where one declares no domain or two the same.</exception>
    public DriftJob(IReadOnlyList<AgentVersion> agents, Composition.KeelComponents? components = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Count == 0)
        {
            throw new ArgumentException("Give at least one agent version.", nameof(agents));
        }

        if (agents.Count > 1 && (agents.Any(a => a.Domain is null) || agents.Select(a => a.Domain).Distinct(StringComparer.Ordinal).Count() < agents.Count))
        {
            throw new ArgumentException("With several agents each declares a distinct 'domain' in agent.yaml to receive its runs.", nameof(agents));
        }

        _agents = agents;
        _single = agents.Count == 1 ? new ReplayEngine(agents[0], components: components) : null;
        _byDomain = agents.Count == 1 ? [] : agents.ToDictionary(a => a.Domain!, a => new ReplayEngine(a, components: components), StringComparer.Ordinal);
    }

    /// <summary>Runs replayed at once. The default is the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The agent versions, described as <c>name version (policy version)</c>.</summary>
    public IReadOnlyList<string> Agents => [.. _agents.Select(EvalDescriptions.Of)];

    /// <summary>Reads the runs of <paramref name="inputs"/>.</summary>
    /// <param name="inputs">Run files or folders (any format <c>keel replay</c> reads).</param>
    /// <param name="diagnostics">Collects skipped records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs in file and record order.</returns>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="InvalidDataException">An input is in no known format.</exception>
    public static Task<IReadOnlyList<RecordedRun>> ReadAsync(IEnumerable<string> inputs, ImportDiagnostics diagnostics, CancellationToken cancellationToken = default) =>
        RecordedRunSet.ReadAsync(inputs, diagnostics, cancellationToken);

    /// <summary>Replays every run and extracts its metrics; a run of a domain no agent governs is skipped into <paramref name="diagnostics"/>.</summary>
    /// <param name="runs">The recorded runs.</param>
    /// <param name="diagnostics">Collects skipped runs.</param>
    /// <param name="progress">Receives the number of runs done; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The metrics of each governed run, in input order.</returns>
    public async Task<IReadOnlyList<RunMetrics>> MeasureAsync(IReadOnlyList<RecordedRun> runs, ImportDiagnostics diagnostics, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var results = new RunMetrics?[runs.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = cancellationToken }, async (i, token) =>
        {
            var run = runs[i];
            var engine = _single ?? (run.Domain is { } domain && _byDomain.TryGetValue(domain, out var found) ? found : null);
            if (engine is null)
            {
                diagnostics.Skip(new SkippedRecord(run.Source.File, run.Source.Index, "$", $"run '{run.Id}' is of domain '{run.Domain ?? "(none)"}', which none of the agents governs; the run is skipped"));
            }
            else
            {
                results[i] = _extractor.Extract(await engine.ReplayAsync(run, token).ConfigureAwait(false));
            }

            progress?.Report(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);
        return [.. results.OfType<RunMetrics>()];
    }
}
