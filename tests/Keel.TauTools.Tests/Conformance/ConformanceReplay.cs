using System.Text;
using System.Text.Json.Nodes;
using Keel.Importers;
using Keel.Replay;
using Keel.TauTools.Data;
using Keel.TauTools.Json;
using Keel.TauTools.Tools;

namespace Keel.TauTools.Tests.Conformance;

/// <summary>One recorded tool call whose replayed answer differs from the recording.</summary>
internal sealed record Mismatch(string RunId, int CallIndex, string ToolName, string Arguments, string Recorded, string Replayed);

/// <summary>What replaying recorded runs against the tool server gave.</summary>
internal sealed record ConformanceReport(int Runs, int Calls, int Matched, IReadOnlyList<Mismatch> Mismatches)
{
    public double MatchRate => Calls == 0 ? 0 : (double)Matched / Calls;
}

/// <summary>
/// Replays every recorded tool call of tau-bench runs, in order, against a <see cref="TauToolbox"/> on a fresh database
/// per run (as tau-bench resets its environment per task), and compares each answer with the recorded tool message.
/// </summary>
internal static class ConformanceReplay
{
    public static async Task<ConformanceReport> RunAsync(string runsFile, TauDatabaseSource source, CancellationToken cancellationToken = default)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = 0;
        var calls = 0;
        var matched = 0;
        var mismatches = new List<Mismatch>();
        await foreach (var run in new TauBenchImporter().ReadAsync(runsFile, diagnostics, cancellationToken))
        {
            runs++;
            var toolbox = new TauToolbox(source.CreateCopy());
            var index = 0;
            foreach (var step in run.Steps.OfType<RecordedToolCall>())
            {
                if (step.Result is null)
                {
                    continue;
                }

                calls++;
                var arguments = (JsonObject?)PyJson.Parse(Encoding.UTF8.GetBytes(step.Call.ArgumentsJson));
                var outcome = toolbox.Invoke(step.Call.ToolName, arguments);
                if (outcome.Text == step.Result.Output)
                {
                    matched++;
                }
                else
                {
                    mismatches.Add(new Mismatch(run.Id, index, step.Call.ToolName, step.Call.ArgumentsJson, step.Result.Output, outcome.Text));
                }

                index++;
            }
        }

        if (diagnostics.SkippedCount > 0)
        {
            throw new InvalidDataException($"{diagnostics.SkippedCount} records of {runsFile} could not be imported: {diagnostics.Skipped.First()}");
        }

        return new ConformanceReport(runs, calls, matched, mismatches);
    }
}
