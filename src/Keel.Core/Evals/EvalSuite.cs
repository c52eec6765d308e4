namespace Keel.Evals;

/// <summary>An eval suite: recorded runs with their expected outcome and the deterministic checks each must pass under an agent
/// version. Stored as JSON (docs/evals.md); built from labelled runs by <see cref="EvalSuiteBuilder"/>, never edited by hand.</summary>
public sealed record EvalSuite
{
    /// <summary>The suite's name, e.g. <c>tau-bench-airline</c>.</summary>
    public required string Suite { get; init; }

    /// <summary>What the suite covers and where its labels come from.</summary>
    public string? Description { get; init; }

    /// <summary>The command that generated the file.</summary>
    public string? GeneratedBy { get; init; }

    /// <summary>Whether the optional LLM judge (<c>keel eval --judge</c>) also decides pass/fail: a case then passes only when its
    /// checks pass and every rubric the judge scored passes (a judge failure fails the case). Without a judge it changes nothing.</summary>
    /// <value>The default is <see langword="false"/>: the deterministic checks alone decide; judge scores are reported beside them.</value>
    public bool JudgeDecides { get; init; }

    /// <summary>The cases, in run order.</summary>
    public required IReadOnlyList<EvalCase> Cases { get; init; }
}

/// <summary>One case: a recorded run and what Keel should decide on it.</summary>
public sealed record EvalCase
{
    /// <summary>The run id, as the importer of <see cref="RunFile"/> names it (e.g. <c>tau-airline-t12-r3</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The runs file holding the run, relative to the suite file's folder (or absolute).</summary>
    public required string RunFile { get; init; }

    /// <summary>The workflow class (the run's domain, e.g. <c>airline</c>); TSR is reported per workflow.</summary>
    public string? Workflow { get; init; }

    /// <summary>The benchmark task id.</summary>
    public string? TaskId { get; init; }

    /// <summary>The benchmark's 0/1 reward of the recorded run, when labelled.</summary>
    public double? Reward { get; init; }

    /// <summary><c>allow</c> when every successful write of the recording is an expected action (Keel should let the run
    /// through); <c>stop</c> when at least one is not (Keel should stop those writes).</summary>
    public required string ExpectedOutcome { get; init; }

    /// <summary>Successful writes of the recording that match an expected action, when built.</summary>
    public int ExpectedWrites { get; init; }

    /// <summary>Successful writes of the recording that match no expected action, when built.</summary>
    public int UnexpectedWrites { get; init; }

    /// <summary>The checks the case must pass (names in <see cref="EvalChecks"/>); a case passes when all pass.</summary>
    public required IReadOnlyList<string> Checks { get; init; }
}
