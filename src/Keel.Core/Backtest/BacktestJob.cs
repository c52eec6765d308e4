using System.Diagnostics;
using Keel.Evals;
using Keel.Model;
using Keel.Replay;
using Keel.Statistics;

namespace Keel.Backtest;

/// <summary>Replays recorded runs under a draft version and under the released one (the same pipeline in audit mode, two
/// <see cref="ReplayEngine"/>s) and reports the decision diff per rule, with examples, and the effect on the metrics with their
/// intervals: "what would this policy change have done on these runs?".</summary>
public sealed class BacktestJob
{
    /// <summary>Characters of a call's arguments kept in an example: 160.</summary>
    public const int ArgumentsExcerptLength = 160;

    /// <summary>Examples kept per rule: 5.</summary>
    public const int ExamplesPerRule = 5;

    private readonly AgentVersion _draft;
    private readonly AgentVersion _released;

    /// <summary>Creates a backtest.</summary>
    /// <param name="draft">The draft version.</param>
    /// <param name="released">The released version.</param>
    public BacktestJob(AgentVersion draft, AgentVersion released)
    {
        _draft = draft ?? throw new ArgumentNullException(nameof(draft));
        _released = released ?? throw new ArgumentNullException(nameof(released));
    }

    /// <summary>Runs replayed at once. The default is the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The composition both versions are replayed with (monitors, extra stages). The default is
    /// <see cref="Composition.KeelComponents.Standard"/>.</summary>
    public Composition.KeelComponents Components { get; init; } = Composition.KeelComponents.Standard;

    /// <summary>Runs the backtest.</summary>
    /// <param name="runs">The recorded runs.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The report (without <see cref="BacktestReport.SkippedRecords"/>, which the caller knows).</returns>
    public async Task<BacktestReport> RunAsync(IReadOnlyList<RecordedRun> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var started = Stopwatch.GetTimestamp();
        var draftEngine = new ReplayEngine(_draft, components: Components);
        var releasedEngine = new ReplayEngine(_released, components: Components);
        var pairs = new (ReplayedRun Released, ReplayedRun Draft)[runs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = cancellationToken }, async (i, token) =>
        {
            pairs[i] = (await releasedEngine.ReplayAsync(runs[i], token).ConfigureAwait(false), await draftEngine.ReplayAsync(runs[i], token).ConfigureAwait(false));
        }).ConfigureAwait(false);

        var changes = new List<DecisionChange>();
        var counters = new MetricCounters();
        foreach (var (released, draft) in pairs)
        {
            var assessment = RunAssessment.Assess(released, RunAssessment.WriteTools(released, _released));
            // The assessment holds the replayed calls themselves; call ids alone can repeat within a run (a model reusing an id).
            var expected = assessment.ExpectedWrites.ToHashSet(ReferenceEqualityComparer.Instance);
            var unexpected = assessment.UnsafeWrites.ToHashSet(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < Math.Min(released.Calls.Count, draft.Calls.Count); i++)
            {
                var (before, after) = (released.Calls[i], draft.Calls[i]);
                var label = expected.Contains(before) ? "expected write" : unexpected.Contains(before) ? "unexpected write" : null;
                counters.Add(before.IsHeld, after.IsHeld, label);
                if (before.Decision.Kind != after.Decision.Kind)
                {
                    changes.Add(Change(released.Recorded.Id, i, before, after, label));
                }
            }
        }

        var rules = changes.GroupBy(c => c.RuleId, StringComparer.Ordinal)
            .Select(g => new RuleDiff(g.Key, g.Count(c => c.Change == "denied"), g.Count(c => c.Change == "held"), g.Count(c => c.Change == "let through"), g.Count(c => c.Change == "changed"), [.. g.Take(ExamplesPerRule)]))
            .OrderByDescending(r => r.Denied + r.Held + r.LetThrough + r.Changed).ThenBy(r => r.RuleId, StringComparer.Ordinal).ToList();
        return new BacktestReport
        {
            Draft = EvalDescriptions.Of(_draft),
            Released = EvalDescriptions.Of(_released),
            Runs = runs.Count,
            Calls = counters.Calls.Total,
            ChangedCalls = changes.Count,
            Rules = rules,
            Metrics = counters.Compare(),
            Workflows = WorkflowSummary.Of(runs.Select(r => (r.Domain, r.Labels.Reward, (bool?)null))),
            ElapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    private static DecisionChange Change(string runId, int index, AuditedCall before, AuditedCall after, string? label)
    {
        var stricter = after.Decision.Kind > before.Decision.Kind;
        var (change, decisive) = after.Decision.Kind switch
        {
            DecisionKind.Allow => ("let through", before.Decision),
            DecisionKind.Deny or DecisionKind.Escalate when stricter => ("denied", after.Decision),
            DecisionKind.RequireApproval or DecisionKind.RequirePlan when stricter => ("held", after.Decision),
            // A looser stopping decision (escalate -> require_approval) comes from the released rule that no longer fires, not from
            // the draft rule that now decides: blame the rule that changed.
            _ => ("changed", stricter ? after.Decision : before.Decision),
        };
        var args = before.Call.ArgumentsJson;
        return new DecisionChange(runId, index, before.Call.ToolName, args.Length > ArgumentsExcerptLength ? args[..ArgumentsExcerptLength] + "…" : args,
            before.Decision.Kind, after.Decision.Kind, change, decisive.RuleId ?? decisive.Stage, decisive.Reason, label);
    }

    /// <summary>Paired counts of stopped calls under both versions.</summary>
    private sealed class MetricCounters
    {
        public Paired Calls { get; } = new("calls_stopped", "governed calls denied, escalated or held");

        public Paired Unexpected { get; } = new("unexpected_writes_stopped", "successful writes matching no expected action that are stopped (higher is better)");

        public Paired Expected { get; } = new("expected_writes_held", "successful writes matching an expected action that are stopped (lower is better)");

        public void Add(bool before, bool after, string? label)
        {
            Calls.Add(before, after);
            (label switch { "expected write" => Expected, "unexpected write" => Unexpected, _ => null })?.Add(before, after);
        }

        public IReadOnlyList<MetricComparison> Compare() => [Calls.Compare(), Unexpected.Compare(), Expected.Compare()];
    }

    private sealed class Paired(string name, string description)
    {
        private int _before, _after, _onlyBefore, _onlyAfter;

        public int Total { get; private set; }

        public void Add(bool before, bool after)
        {
            Total++;
            _before += before ? 1 : 0;
            _after += after ? 1 : 0;
            _onlyBefore += before && !after ? 1 : 0;
            _onlyAfter += after && !before ? 1 : 0;
        }

        public MetricComparison Compare() => new(name, description,
            new RateSummary(name, Total, _before, Wilson.Interval(_before, Total)),
            new RateSummary(name, Total, _after, Wilson.Interval(_after, Total)),
            McNemar.Test(_onlyBefore, _onlyAfter));
    }
}
