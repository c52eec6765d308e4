using System.Runtime.CompilerServices;
using System.Text.Json;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Imports tau2-bench run files (sierra-research/tau2-bench results; Barres et al., arXiv:2506.07982): one JSON object
/// per file with <c>info</c>, <c>tasks</c> and <c>simulations</c>, read property by property and one simulation at a time.
/// </summary>
/// <remarks>
/// <para>Run id: the simulation <c>id</c>. Domain: <c>info.environment_info.domain_name</c>. Agent model:
/// <c>info.agent_info.llm</c>.</para>
/// <para>Clock (<see cref="RecordedRun.StartedAt"/>): the time stated in <c>info.environment_info.policy</c> ("The current
/// time is 2024-05-15 15:00:00 EST." in airline, 2025-02-25 12:08:00 EST in telecom); otherwise (retail) the first
/// message <c>timestamp</c> (one without an offset is UTC); otherwise (ToolOrchestra retail, which has no timestamps)
/// 2000-01-01T00:00:00Z.</para>
/// <para>Steps: user and assistant messages in order, with their timestamps; a message that only carries tool calls
/// produces no message step. Tool calls of the simulated customer (telecom, <c>requestor: "user"</c>) are kept with that
/// requestor. Each call is answered by the <c>tool</c> message with its <c>id</c>: the <c>error</c> flag, or when the
/// flag is absent, content starting with <c>Error</c>. <c>arguments</c> objects become compact JSON text.</para>
/// <para>Labels: <c>reward_info.reward</c> (null when missing), <c>termination_reason</c>, the task id, and the expected
/// actions of the <c>tasks[]</c> entry whose <c>id</c> equals the simulation's <c>task_id</c>.</para>
/// <para>Bad input: invalid or truncated JSON stops the file with one <see cref="SkippedRecord"/> (the runs before it are
/// kept); a wrongly typed <c>info</c> field stops the file; a simulation with a missing field or a wrong JSON type, or
/// whose task's actions are malformed, is skipped with its JSONPath. When <c>simulations</c> precede <c>info</c> or
/// <c>tasks</c> in the file (for example after <c>jq -S</c>), they are held until the end of the file; if the JSON breaks
/// first, the held runs are still imported with whatever <c>info</c> and tasks were read (unknown labels stay
/// <see langword="null"/>). Stateless and thread-safe.</para>
/// </remarks>
public sealed class Tau2BenchImporter : IRunImporter
{
    /// <summary>The format name, <c>tau2-bench</c>.</summary>
    public const string FormatName = "tau2-bench";

    private static readonly string[] _markers = ["\"simulations\"", "\"environment_info\"", "\"agent_info\"", "\"num_trials\""];

    /// <inheritdoc />
    public string Format => FormatName;

    /// <summary>Recognises a JSON object with a <c>simulations</c>, <c>environment_info</c>, <c>agent_info</c> or <c>num_trials</c> property within the head.</summary>
    /// <param name="path">The file path (not used).</param>
    /// <param name="head">The first bytes of the file decoded as UTF-8.</param>
    /// <returns>Whether the file looks like a tau2-bench results file.</returns>
    public bool CanRead(string path, string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var text = head.AsSpan().TrimStart(RunFileChecks.LeadingNoise);
        if (text.IsEmpty || text[0] != '{')
        {
            return false;
        }

        foreach (var marker in _markers)
        {
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
        if (!await RunFileChecks.CheckStartAsync(stream, JsonTokenType.StartObject, "a JSON object with info, tasks and simulations", path, diagnostics, cancellationToken))
        {
            yield break;
        }

        using var converter = new Tau2SimulationConverter(path);
        var held = new Queue<(int Index, JsonDocument Simulation)>();
        var stopped = false;
        try
        {
            while (!stopped)
            {
                var (token, error) = await RunFileChecks.TryReadAsync(stream.ReadTokenAsync(cancellationToken), stream);
                if (error is not null)
                {
                    diagnostics.Skip(new SkippedRecord(path, -1, "$", error));
                    break;
                }

                if (token == JsonTokenType.EndObject)
                {
                    break;
                }

                var section = "$." + stream.PropertyName;
                switch (stream.PropertyName)
                {
                    case "info":
                        var (info, infoError) = await RunFileChecks.TryReadAsync(stream.ReadValueAsync(cancellationToken), stream);
                        var infoFailure = infoError is null ? ReadInfo(converter, info!) : new RecordFormatException(section, infoError);
                        if (infoFailure is not null)
                        {
                            diagnostics.Skip(new SkippedRecord(path, -1, infoFailure.JsonPath, infoFailure.Message + "; the file is not imported"));
                            yield break;
                        }

                        break;

                    case "tasks":
                        error = await ExpectArrayAsync(stream, cancellationToken);
                        for (var index = 0; error is null; index++)
                        {
                            (var task, error) = await RunFileChecks.TryReadAsync(stream.ReadElementAsync(cancellationToken), stream);
                            if (error is not null)
                            {
                                section = $"$.tasks[{index}]";
                                break;
                            }

                            if (task is null)
                            {
                                converter.Tasks.Loaded = true;
                                break;
                            }

                            using (task)
                            {
                                converter.Tasks.Add(task.RootElement, index);
                            }
                        }

                        if (error is not null)
                        {
                            diagnostics.Skip(new SkippedRecord(path, -1, section, error));
                            stopped = true;
                        }

                        break;

                    case "simulations":
                        error = await ExpectArrayAsync(stream, cancellationToken);
                        if (error is not null)
                        {
                            diagnostics.Skip(new SkippedRecord(path, -1, section, error));
                            stopped = true;
                            break;
                        }

                        for (var index = 0; ; index++)
                        {
                            var (simulation, simulationError) = await RunFileChecks.TryReadAsync(stream.ReadElementAsync(cancellationToken), stream);
                            if (simulationError is not null)
                            {
                                diagnostics.Skip(new SkippedRecord(path, index, $"$.simulations[{index}]", simulationError));
                                stopped = true;
                                break;
                            }

                            if (simulation is null)
                            {
                                break;
                            }

                            if (!converter.InfoLoaded || !converter.Tasks.Loaded)
                            {
                                held.Enqueue((index, simulation));
                                continue;
                            }

                            var run = Convert(path, converter, simulation, index, diagnostics);
                            if (run is not null)
                            {
                                yield return run;
                            }
                        }

                        break;

                    default:
                        (_, error) = await RunFileChecks.TryReadAsync(stream.SkipValueAsync(cancellationToken), stream);
                        if (error is not null)
                        {
                            diagnostics.Skip(new SkippedRecord(path, -1, section, error));
                            stopped = true;
                        }

                        break;
                }
            }

            while (held.TryDequeue(out var next))
            {
                var run = Convert(path, converter, next.Simulation, next.Index, diagnostics);
                if (run is not null)
                {
                    yield return run;
                }
            }

            if (!stopped)
            {
                await RunFileChecks.ExpectEndAsync(stream, path, diagnostics, cancellationToken);
            }
        }
        finally
        {
            foreach (var (_, simulation) in held)
            {
                simulation.Dispose();
            }
        }
    }

    private static async ValueTask<string?> ExpectArrayAsync(JsonRecordStream stream, CancellationToken cancellationToken)
    {
        var (token, error) = await RunFileChecks.TryReadAsync(stream.ReadTokenAsync(cancellationToken), stream);
        return error ?? (token == JsonTokenType.StartArray ? null : $"expected an array, found {RunFileChecks.Describe(token)}; the file is not imported");
    }

    private static RecordFormatException? ReadInfo(Tau2SimulationConverter converter, JsonDocument info)
    {
        using (info)
        {
            try
            {
                converter.ReadInfo(info.RootElement);
                return null;
            }
            catch (RecordFormatException ex)
            {
                return ex;
            }
        }
    }

    private static RecordedRun? Convert(string path, Tau2SimulationConverter converter, JsonDocument simulation, int index, ImportDiagnostics diagnostics)
    {
        using (simulation)
        {
            try
            {
                return converter.Convert(simulation.RootElement, index);
            }
            catch (RecordFormatException ex)
            {
                diagnostics.Skip(new SkippedRecord(path, index, ex.JsonPath, ex.Message + "; the run is skipped"));
                return null;
            }
        }
    }
}
