using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Imports tau-bench run files (<c>historical_trajectories/&lt;model&gt;-&lt;domain&gt;.json</c> of
/// sierra-research/tau-bench; Yao et al., arXiv:2406.12045): a JSON array of runs in OpenAI chat format.
/// </summary>
/// <remarks>
/// <para>Run id: <c>tau-&lt;domain&gt;-t&lt;task_id&gt;-r&lt;trial&gt;</c>. The domain and agent model come from the file
/// name (<c>gpt-4o-airline.json</c> → airline, gpt-4o) when it ends in a known domain (airline, retail), otherwise the
/// domain comes from the system prompt title (<c># Airline Agent Policy</c>), otherwise it is <c>unknown</c>. Runs of the
/// same domain from different model files get the same ids; import one model's file at a time.</para>
/// <para>Clock (<see cref="RecordedRun.StartedAt"/>): the time the system prompt states ("The current time is 2024-05-15
/// 15:00:00 EST." → 2024-05-15T15:00:00-05:00); tau-bench records no timestamps, so without that sentence it is
/// 2000-01-01T00:00:00Z.</para>
/// <para>Steps: system, user and assistant messages in order; an assistant message that only carries tool calls produces
/// no message step. Each tool call becomes a <see cref="RecordedToolCall"/> answered by the <c>tool</c> message with its
/// <c>tool_call_id</c> (content starting with <c>Error</c> → error), or with no result when the recording has none.</para>
/// <para>Labels: <c>reward</c>, <c>info.task.actions</c> as expected actions, the task id; no termination reason.</para>
/// <para>Bad input: invalid or truncated JSON stops the file with one <see cref="SkippedRecord"/> (the runs before it are
/// kept); a record with a missing field or a wrong JSON type is skipped with its JSONPath. Stateless and thread-safe.</para>
/// </remarks>
public sealed class TauBenchImporter : IRunImporter
{
    /// <summary>The format name, <c>tau-bench</c>.</summary>
    public const string FormatName = "tau-bench";

    /// <inheritdoc />
    public string Format => FormatName;

    /// <summary>Recognises a JSON array whose first element has a <c>traj</c> or <c>task_id</c> property within the head.</summary>
    /// <param name="path">The file path (not used).</param>
    /// <param name="head">The first bytes of the file decoded as UTF-8.</param>
    /// <returns>Whether the file looks like a tau-bench run file.</returns>
    public bool CanRead(string path, string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var text = head.AsSpan().TrimStart(RunFileChecks.LeadingNoise);
        if (text.IsEmpty || text[0] != '[')
        {
            return false;
        }

        text = text[1..].TrimStart(RunFileChecks.LeadingNoise);
        return !text.IsEmpty && text[0] == '{'
            && (text.Contains("\"traj\"", StringComparison.Ordinal) || text.Contains("\"task_id\"", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedRun> ReadAsync(
        string path,
        ImportDiagnostics diagnostics,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(diagnostics);

        await using var stream = JsonRecordStream.Open(path);
        if (!await RunFileChecks.CheckStartAsync(stream, JsonTokenType.StartArray, "a JSON array of tau-bench runs", path, diagnostics, cancellationToken))
        {
            yield break;
        }

        var converter = new TauBenchRunConverter(path);
        for (var index = 0; ; index++)
        {
            var (record, error) = await RunFileChecks.TryReadAsync(stream.ReadElementAsync(cancellationToken), stream);
            if (error is not null)
            {
                diagnostics.Skip(new SkippedRecord(path, index, $"$[{index}]", error));
                yield break;
            }

            if (record is null)
            {
                break;
            }

            RecordedRun? run = null;
            using (record)
            {
                try
                {
                    run = converter.Convert(record.RootElement, index);
                }
                catch (RecordFormatException ex)
                {
                    diagnostics.Skip(new SkippedRecord(path, index, ex.JsonPath, ex.Message + "; the run is skipped"));
                }
            }

            if (run is not null)
            {
                yield return run;
            }
        }

        await RunFileChecks.ExpectEndAsync(stream, path, diagnostics, cancellationToken);
    }
}
