using Keel.Statistics;

namespace Keel.Evals;

/// <summary>One case after the eval: the checks, pass/fail and a score.</summary>
/// <param name="Id">The case (run) id.</param>
/// <param name="Workflow">The workflow class.</param>
/// <param name="Reward">The recorded reward, when labelled.</param>
/// <param name="ExpectedOutcome"><c>allow</c> or <c>stop</c> (<see cref="EvalOutcomes"/>).</param>
/// <param name="Outcome">What Keel did: <c>stop</c> when it held, escalated or denied a successful write of the run, else <c>allow</c>.</param>
/// <param name="Passed">Whether every check passed.</param>
/// <param name="Score">Share of the calls the checks judged that Keel decided as the labels expect, in [0, 1]; 1 when none was judged.</param>
/// <param name="Checks">Each check's result.</param>
/// <param name="ElapsedMs">Replay time of the case in milliseconds (reported, never asserted).</param>
public sealed record CaseResult(string Id, string? Workflow, double? Reward, string ExpectedOutcome, string Outcome, bool Passed, double Score, IReadOnlyList<CheckResult> Checks, double ElapsedMs = 0)
{
    /// <summary>The failed checks' reasons joined, or <see langword="null"/> when the case passed.</summary>
    public string? FailureReason => Passed ? null : string.Join("; ", Checks.Where(c => !c.Passed).Select(c => $"{c.Check}: {c.Reason}")
        .Concat((Judge ?? []).Where(j => !j.Passed && JudgeDecided).Select(j => $"judge {j.Rubric}: {j.Reason}")));

    /// <summary>The optional LLM judge's scores, one per rubric of the case (<see cref="JudgeRubric.For"/>); <see langword="null"/> without a judge.</summary>
    public IReadOnlyList<JudgeScore>? Judge { get; init; }

    /// <summary>Whether the judge's scores took part in <see cref="Passed"/> (<see cref="EvalSuite.JudgeDecides"/>).</summary>
    public bool JudgeDecided { get; init; }
}

/// <summary>Aggregates of an eval: pass rate with its Wilson interval, mean score with its bootstrap interval, and TSR per workflow.</summary>
/// <param name="Cases">Cases evaluated.</param>
/// <param name="Passed">Cases that passed.</param>
/// <param name="PassRate">Pass rate with its 95 % Wilson interval.</param>
/// <param name="MeanScore">Mean score with its 95 % percentile bootstrap interval (<see cref="Bootstrap.DefaultResamples"/> resamples, seed <see cref="Bootstrap.DefaultSeed"/>).</param>
/// <param name="ByCheck">Per check: cases it applied to, passes, and the pass rate's Wilson interval.</param>
/// <param name="Workflows">Per workflow: TSR from the recorded rewards with its Wilson interval, and the pass rate.</param>
public sealed record EvalSummary(int Cases, int Passed, ConfidenceInterval PassRate, ConfidenceInterval MeanScore, IReadOnlyList<RateSummary> ByCheck, IReadOnlyList<WorkflowSummary> Workflows)
{
    /// <summary>Summarises case results.</summary>
    /// <param name="results">The results; at least one.</param>
    /// <returns>The summary.</returns>
    public static EvalSummary Of(IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var passed = results.Count(r => r.Passed);
        var byCheck = EvalChecks.All
            .Select(name => (name, applied: results.SelectMany(r => r.Checks).Where(c => c.Check == name).ToList()))
            .Where(x => x.applied.Count > 0)
            .Select(x => new RateSummary(x.name, x.applied.Count, x.applied.Count(c => c.Passed), Wilson.Interval(x.applied.Count(c => c.Passed), x.applied.Count)))
            .ToList();
        return new EvalSummary(
            results.Count,
            passed,
            Wilson.Interval(passed, results.Count),
            results.Count == 0 ? new ConfidenceInterval(0, 0, 0, 0.95) : Bootstrap.MeanInterval([.. results.Select(r => r.Score)]),
            byCheck,
            WorkflowSummary.Of(results.Select(r => (r.Workflow, r.Reward, (bool?)r.Passed))));
    }
}

/// <summary>A rate: how many of how many, with its 95 % Wilson interval.</summary>
/// <param name="Name">What is counted.</param>
/// <param name="Total">The denominator.</param>
/// <param name="Count">The numerator.</param>
/// <param name="Rate">The rate with its interval.</param>
public sealed record RateSummary(string Name, int Total, int Count, ConfidenceInterval Rate);

/// <summary>Task success rate (TSR) of one workflow: the share of its runs the benchmark rewarded 1, with its 95 % Wilson interval.</summary>
/// <param name="Workflow">The workflow class (<c>unknown</c> when runs carry no domain).</param>
/// <param name="Runs">Runs of the workflow.</param>
/// <param name="Labelled">Runs with a reward label.</param>
/// <param name="Successes">Runs rewarded 1.</param>
/// <param name="Tsr">Successes / labelled with its interval.</param>
/// <param name="PassRate">The eval's pass rate on the workflow's cases, when the runs were evaluated.</param>
public sealed record WorkflowSummary(string Workflow, int Runs, int Labelled, int Successes, ConfidenceInterval Tsr, ConfidenceInterval? PassRate = null)
{
    /// <summary>Groups runs by workflow.</summary>
    /// <param name="runs">Each run's workflow, reward and (when evaluated) pass.</param>
    /// <returns>One summary per workflow, by name.</returns>
    public static IReadOnlyList<WorkflowSummary> Of(IEnumerable<(string? Workflow, double? Reward, bool? Passed)> runs) =>
        [.. runs.GroupBy(r => r.Workflow ?? "unknown", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var labelled = g.Count(r => r.Reward is not null);
            var successes = g.Count(r => r.Reward >= 1);
            var judged = g.Where(r => r.Passed is not null).ToList();
            return new WorkflowSummary(g.Key, g.Count(), labelled, successes, Wilson.Interval(successes, labelled),
                judged.Count > 0 ? Wilson.Interval(judged.Count(r => r.Passed == true), judged.Count) : null);
        })];
}
