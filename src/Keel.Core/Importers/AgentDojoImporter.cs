using System.Runtime.CompilerServices;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Imports AgentDojo runs (ethz-spylab/agentdojo; Debenedetti et al., NeurIPS 2024 Datasets and Benchmarks, arXiv:2406.13352) packaged
/// as JSON Lines: one run object per line, as AgentDojo writes to <c>runs/&lt;model&gt;/&lt;suite&gt;/&lt;user_task&gt;/&lt;attack&gt;/&lt;injection_task&gt;.json</c>.
/// </summary>
/// <remarks>
/// <para>Run id: <c>agentdojo-&lt;model&gt;-&lt;suite&gt;-&lt;user_task&gt;-&lt;attack or none&gt;-&lt;injection_task or none&gt;</c>. Domain: the suite
/// (banking, slack, travel, workspace). Agent model: <c>pipeline_name</c>.</para>
/// <para>Clock: AgentDojo records no timestamps; every run starts at 2000-01-01T00:00:00Z (<see cref="DomainClock.Unknown"/>).</para>
/// <para>Steps: messages in order; tool calls are <c>{"function", "args": {...}, "id"}</c>, answered by the <c>tool</c> message with the
/// same <c>tool_call_id</c>; a tool message with a non-null <c>error</c> is an error result whose text is the error.</para>
/// <para>Labels: <see cref="AttackLabels"/> (attack type, injection task, planted texts, <c>security</c> as attack success for attacked runs,
/// <c>utility</c>); the reward is 1 when <c>utility</c> is true. No expected actions: AgentDojo's ground truth is code.</para>
/// <para>Bad input: a line that is not a JSON object, or a record with a missing field or wrong JSON type, is skipped with its line
/// (record index = line number - 1) and JSONPath; the other lines are read. Blank lines are ignored. Stateless and thread-safe.</para>
/// </remarks>
public sealed class AgentDojoImporter : IRunImporter
{
    /// <summary>The format name, <c>agentdojo</c>.</summary>
    public const string FormatName = "agentdojo";

    /// <inheritdoc />
    public string Format => FormatName;

    /// <summary>Recognises a JSON object on the first line with <c>suite_name</c>, <c>user_task_id</c> and <c>messages</c> properties within the head.</summary>
    /// <param name="path">The file path (not used).</param>
    /// <param name="head">The first bytes of the file decoded as UTF-8.</param>
    /// <returns>Whether the file looks like AgentDojo runs.</returns>
    public bool CanRead(string path, string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var text = head.AsSpan().TrimStart(RunFileChecks.LeadingNoise);
        return !text.IsEmpty && text[0] == '{'
            && text.Contains("\"suite_name\"", StringComparison.Ordinal)
            && text.Contains("\"user_task_id\"", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedRun> ReadAsync(
        string path,
        ImportDiagnostics diagnostics,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var converter = new AgentDojoRunConverter(path);
        await foreach (var run in JsonLinesReader.ReadAsync(path, converter.Convert, diagnostics, cancellationToken).ConfigureAwait(false))
        {
            yield return run;
        }
    }
}
