namespace Keel.Evals;

/// <summary>The <c>keel eval</c> report (JSON, HTML and JUnit XML are written from it).</summary>
public sealed record EvalReport
{
    /// <summary>The suite's name.</summary>
    public required string Suite { get; init; }

    /// <summary>The agent under test: <c>name version</c> and its policy version.</summary>
    public required string Agent { get; init; }

    /// <summary>The baseline agent, when compared.</summary>
    public string? Baseline { get; init; }

    /// <summary>When the report was made (from the command's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The candidate's aggregates.</summary>
    public required EvalSummary Summary { get; init; }

    /// <summary>The baseline's aggregates, when compared.</summary>
    public EvalSummary? BaselineSummary { get; init; }

    /// <summary>The gate, when compared.</summary>
    public GateResult? Gate { get; init; }

    /// <summary>Every case under the candidate, in suite order.</summary>
    public required IReadOnlyList<CaseResult> Cases { get; init; }

    /// <summary>The optional LLM judge's scores per rubric under the candidate; <see langword="null"/> without a judge.</summary>
    public IReadOnlyList<JudgeRubricSummary>? Judge { get; init; }

    /// <summary>The judge's scores per rubric under the baseline, when compared with a judge.</summary>
    public IReadOnlyList<JudgeRubricSummary>? BaselineJudge { get; init; }

    /// <summary>Candidate − baseline judge score per rubric with paired bootstrap intervals, when compared with a judge. Reported,
    /// not part of the gate.</summary>
    public IReadOnlyList<JudgeRubricDifference>? JudgeDifference { get; init; }

    /// <summary>What the judge asked and cost (calls, cache hits, failures, tokens, USD when priced); <see langword="null"/> without a judge.</summary>
    public Classification.ModelCost? JudgeCost { get; init; }

    /// <summary>Records skipped while reading the runs (file, record index, JSON path and why).</summary>
    public IReadOnlyList<string> SkippedRecords { get; init; } = [];
}
