using Keel.Model;
using Keel.Replay;

namespace Keel.Evals;

/// <summary>Builds an <see cref="EvalSuite"/> from labelled recorded runs: one case per run whose expected actions are known and
/// that has something to check (a successful write, or an expected transfer to a human). Which checks apply follows from the
/// labels and the bundle's tool types only — never from Keel's decisions — so the suite does not depend on the pack it tests.</summary>
public static class EvalSuiteBuilder
{
    /// <summary>Builds the suite.</summary>
    /// <param name="name">The suite's name.</param>
    /// <param name="runs">The recorded runs with <see cref="RecordSource.File"/> set to their run file.</param>
    /// <param name="agent">The bundle whose tool catalog says which tools write and which hand off (its policies are not used:
    /// runs are replayed under it only to classify the recorded writes, decisions are ignored).</param>
    /// <param name="suiteFolder">The folder the suite file will be written to; run file paths are stored relative to it.</param>
    /// <param name="generatedBy">The command line, stored in the file.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>The suite and the ids of runs left out, each with the reason.</returns>
    public static async Task<(EvalSuite Suite, IReadOnlyList<(string RunId, string Reason)> LeftOut)> BuildAsync(
        string name, IReadOnlyList<RecordedRun> runs, AgentVersion agent, string suiteFolder, string? generatedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(agent);
        var engine = new ReplayEngine(agent);
        var cases = new List<EvalCase>();
        var leftOut = new List<(string, string)>();
        foreach (var run in runs)
        {
            if (run.Labels.ExpectedActions is not { } expected)
            {
                leftOut.Add((run.Id, "no expected actions"));
                continue;
            }

            var replayed = await engine.ReplayAsync(run, cancellationToken).ConfigureAwait(false);
            var assessment = RunAssessment.Assess(replayed, RunAssessment.WriteTools(replayed, agent));
            var checks = new List<string>();
            if (assessment.ExpectedWrites.Count > 0)
            {
                checks.Add(EvalChecks.ExpectedWritesAllowed);
            }

            if (assessment.UnsafeWrites.Count > 0)
            {
                checks.Add(EvalChecks.UnexpectedWritesStopped);
            }

            if (expected.Any(e => e.Requestor == "assistant" && agent.Handoff.Tools.Contains(e.ToolName)))
            {
                checks.Add(EvalChecks.HandoffWhenTransferExpected);
            }

            if (checks.Count == 0)
            {
                leftOut.Add((run.Id, "no successful write and no expected transfer: nothing Keel decides is checked"));
                continue;
            }

            cases.Add(new EvalCase
            {
                Id = run.Id,
                RunFile = Path.GetRelativePath(suiteFolder, Path.GetFullPath(run.Source.File)).Replace('\\', '/'),
                Workflow = run.Domain,
                TaskId = run.Labels.TaskId,
                Reward = run.Labels.Reward,
                ExpectedOutcome = assessment.UnsafeWrites.Count > 0 ? EvalOutcomes.Stop : EvalOutcomes.Allow,
                ExpectedWrites = assessment.ExpectedWrites.Count,
                UnexpectedWrites = assessment.UnsafeWrites.Count,
                Checks = checks,
            });
        }

        var suite = new EvalSuite
        {
            Suite = name,
            Description = $"{cases.Count} labelled runs; checks from the benchmark's expected actions and the tool types of agent '{agent.AgentName}' (docs/evals.md).",
            GeneratedBy = generatedBy,
            Cases = cases,
        };
        return (suite, leftOut);
    }
}

/// <summary>The expected and actual outcomes of a case.</summary>
public static class EvalOutcomes
{
    /// <summary>Keel lets every successful write of the run through.</summary>
    public const string Allow = "allow";

    /// <summary>Keel stops (holds, escalates or denies) at least one successful write of the run.</summary>
    public const string Stop = "stop";
}
