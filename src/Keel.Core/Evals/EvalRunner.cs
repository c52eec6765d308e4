using System.Diagnostics;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;

namespace Keel.Evals;

/// <summary>Runs an eval suite under an agent version: each case's recorded run goes through <see cref="ReplayEngine"/> (the
/// standard pipeline in audit mode) and is scored by its checks. Cases run in parallel; results come back in suite order.</summary>
public sealed class EvalRunner
{
    private readonly AgentVersion _agent;

    /// <summary>Creates a runner.</summary>
    /// <param name="agent">The agent version under test.</param>
    public EvalRunner(AgentVersion agent) => _agent = agent ?? throw new ArgumentNullException(nameof(agent));

    /// <summary>Cases replayed at once. The default is the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The composition each case is replayed with (its monitors, extra stages; the version's C# policies were resolved when
    /// it was loaded). The default is <see cref="Composition.KeelComponents.Standard"/>.</summary>
    public Composition.KeelComponents Components { get; init; } = Composition.KeelComponents.Standard;

    /// <summary>The optional LLM judge, run on each case after its deterministic checks (<see cref="EvalJudge"/>).</summary>
    /// <value>The default is <see langword="null"/>: off.</value>
    public EvalJudging? Judge { get; init; }

    /// <summary>Loads the runs a suite references (paths relative to <paramref name="suiteFolder"/>).</summary>
    /// <param name="suite">The suite.</param>
    /// <param name="suiteFolder">The suite file's folder.</param>
    /// <param name="diagnostics">Collects skipped records.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recorded run of every case, by case id.</returns>
    /// <exception cref="InvalidDataException">A case's run is not in its run file.</exception>
    /// <exception cref="FileNotFoundException">A run file does not exist.</exception>
    public static Task<IReadOnlyDictionary<string, RecordedRun>> LoadRunsAsync(EvalSuite suite, string suiteFolder, ImportDiagnostics diagnostics, CancellationToken cancellationToken = default) =>
        LoadRunsAsync(suite, suiteFolder, diagnostics, RunImporters.Default, cancellationToken);

    /// <summary>Reads the recorded run of every case with a composition's importers (see the overload without them).</summary>
    /// <param name="suite">The suite.</param>
    /// <param name="suiteFolder">The suite file's folder.</param>
    /// <param name="diagnostics">Collects skipped records.</param>
    /// <param name="importers">The importers (<see cref="Composition.KeelComponents.Importers"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recorded run of every case, by case id.</returns>
    /// <exception cref="InvalidDataException">A case's run is not in its run file.</exception>
    /// <exception cref="FileNotFoundException">A run file does not exist.</exception>
    public static async Task<IReadOnlyDictionary<string, RecordedRun>> LoadRunsAsync(
        EvalSuite suite, string suiteFolder, ImportDiagnostics diagnostics, RunImporters importers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var files = suite.Cases.Select(c => c.RunFile).Distinct(StringComparer.Ordinal).ToList();
        var runs = new Dictionary<string, RecordedRun>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(suiteFolder, file);
            foreach (var run in await RecordedRunSet.ReadAsync([path], diagnostics, importers, cancellationToken).ConfigureAwait(false))
            {
                runs.TryAdd(run.Id, run);
            }
        }

        var missing = suite.Cases.FirstOrDefault(c => !runs.ContainsKey(c.Id));
        return missing is null ? runs : throw new InvalidDataException($"case '{missing.Id}': no run with that id in '{missing.RunFile}'.");
    }

    /// <summary>Evaluates every case.</summary>
    /// <param name="suite">The suite.</param>
    /// <param name="runs">The recorded run of every case, by id (<see cref="LoadRunsAsync(EvalSuite, string, ImportDiagnostics, CancellationToken)"/>).</param>
    /// <param name="progress">Receives the number of cases done; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the eval.</param>
    /// <returns>One result per case, in suite order.</returns>
    public async Task<IReadOnlyList<CaseResult>> RunAsync(EvalSuite suite, IReadOnlyDictionary<string, RecordedRun> runs, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(runs);
        var engine = new ReplayEngine(_agent, components: Components);
        var results = new CaseResult[suite.Cases.Count];
        var done = 0;
        var indices = Enumerable.Range(0, suite.Cases.Count);
        await Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = cancellationToken }, async (i, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            var replayed = await engine.ReplayAsync(runs[suite.Cases[i].Id], token).ConfigureAwait(false);
            var result = Score(suite.Cases[i], replayed, _agent, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (Judge is { } judge)
            {
                var scores = await judge.Evaluator.JudgeAsync(judge.Client, suite.Cases[i], replayed, token).ConfigureAwait(false);
                result = result with { Judge = scores, JudgeDecided = suite.JudgeDecides, Passed = result.Passed && (!suite.JudgeDecides || scores.All(s => s.Passed)) };
            }

            results[i] = result;
            progress?.Report(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>Scores one replayed case.</summary>
    /// <param name="evalCase">The case.</param>
    /// <param name="replayed">Its run replayed under <paramref name="agent"/>.</param>
    /// <param name="agent">The agent version.</param>
    /// <param name="elapsedMs">Replay time to report.</param>
    /// <returns>The case result.</returns>
    public static CaseResult Score(EvalCase evalCase, ReplayedRun replayed, AgentVersion agent, double elapsedMs = 0)
    {
        ArgumentNullException.ThrowIfNull(evalCase);
        ArgumentNullException.ThrowIfNull(replayed);
        var (checks, judged, correct) = EvalChecks.Run(evalCase.Checks, replayed, agent);
        var stopped = replayed.Calls.Any(c => c.IsSuccessfulWrite && c.IsHeld);
        return new CaseResult(
            evalCase.Id,
            evalCase.Workflow,
            evalCase.Reward,
            evalCase.ExpectedOutcome,
            stopped ? EvalOutcomes.Stop : EvalOutcomes.Allow,
            checks.All(c => c.Passed),
            judged == 0 ? 1 : (double)correct / judged,
            checks,
            elapsedMs);
    }
}
