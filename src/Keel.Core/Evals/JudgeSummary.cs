using Keel.Statistics;
using Microsoft.Extensions.AI;

namespace Keel.Evals;

/// <summary>The optional judge an <see cref="EvalRunner"/> runs after the deterministic checks.</summary>
/// <param name="Evaluator">The judge.</param>
/// <param name="Client">The judge's chat client.</param>
public sealed record EvalJudging(EvalJudge Evaluator, IChatClient Client);

/// <summary>The judge's scores of one rubric over an eval: mean normalised score (<see cref="JudgeScale"/>) with its 95 % percentile
/// bootstrap interval (<see cref="Bootstrap.MeanInterval"/>, 10,000 resamples, seed 12345) and the pass rate with its Wilson interval.</summary>
/// <param name="Rubric">The rubric's name.</param>
/// <param name="Cases">Cases the rubric applied to.</param>
/// <param name="Scored">Cases the judge scored (the rest failed: endpoint error, malformed or invalid answer).</param>
/// <param name="MeanScore">Mean normalised score in [0, 1] over the scored cases, with its interval; <see langword="null"/> when none was scored.</param>
/// <param name="PassRate">Scored cases passing the rubric (score ≥ 3, or true), with its Wilson interval; <see langword="null"/> when none was scored.</param>
public sealed record JudgeRubricSummary(string Rubric, int Cases, int Scored, ConfidenceInterval? MeanScore, ConfidenceInterval? PassRate)
{
    /// <summary>Summarises the judge scores of case results.</summary>
    /// <param name="results">The case results (those without judge scores are ignored).</param>
    /// <returns>One summary per rubric that applied to a case, in <see cref="JudgeRubric.All"/> order.</returns>
    public static IReadOnlyList<JudgeRubricSummary> Of(IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var scores = results.SelectMany(r => r.Judge ?? []).ToList();
        return [.. JudgeRubric.All.Select(rubric => (rubric, all: scores.Where(s => s.Rubric == rubric.Name).ToList())).Where(x => x.all.Count > 0).Select(x =>
        {
            var scored = x.all.Where(s => s.Normalized is not null).ToList();
            return new JudgeRubricSummary(x.rubric.Name, x.all.Count, scored.Count,
                scored.Count == 0 ? null : Bootstrap.MeanInterval([.. scored.Select(s => s.Normalized!.Value)]),
                scored.Count == 0 ? null : Wilson.Interval(scored.Count(s => s.Passed), scored.Count));
        })];
    }

    /// <summary>Candidate − baseline mean normalised score per rubric, paired per case over the cases the judge scored under both,
    /// with the paired percentile bootstrap interval (<see cref="Bootstrap.PairedDifference"/>).</summary>
    /// <param name="candidate">Candidate results.</param>
    /// <param name="baseline">Baseline results on the same case ids.</param>
    /// <param name="level">The interval's confidence level. The default is 0.95.</param>
    /// <returns>One difference per rubric with at least one case scored under both, in <see cref="JudgeRubric.All"/> order.</returns>
    public static IReadOnlyList<JudgeRubricDifference> Compare(IReadOnlyList<CaseResult> candidate, IReadOnlyList<CaseResult> baseline, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        var byId = baseline.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var differences = new List<JudgeRubricDifference>();
        foreach (var rubric in JudgeRubric.All)
        {
            var pairs = candidate.Where(c => byId.ContainsKey(c.Id))
                .Select(c => (Candidate: Normalized(c, rubric.Name), Baseline: Normalized(byId[c.Id], rubric.Name)))
                .Where(p => p.Candidate is not null && p.Baseline is not null).ToList();
            if (pairs.Count > 0)
            {
                differences.Add(new JudgeRubricDifference(rubric.Name, pairs.Count,
                    Bootstrap.PairedDifference([.. pairs.Select(p => p.Candidate!.Value)], [.. pairs.Select(p => p.Baseline!.Value)], level)));
            }
        }

        return differences;
    }

    private static double? Normalized(CaseResult result, string rubric) => result.Judge?.FirstOrDefault(s => s.Rubric == rubric)?.Normalized;
}

/// <summary>Candidate − baseline judge score of one rubric, paired per case.</summary>
/// <param name="Rubric">The rubric's name.</param>
/// <param name="Pairs">Cases scored under both versions.</param>
/// <param name="Difference">Mean normalised score difference with its paired bootstrap interval.</param>
public sealed record JudgeRubricDifference(string Rubric, int Pairs, ConfidenceInterval Difference);
