using System.Diagnostics;
using System.Threading.Channels;
using Keel.Classification;
using Keel.Composition;
using Keel.Importers;
using Keel.Model;
using Keel.Monitors;
using Keel.Redaction;
using Keel.Reports;
using Keel.Storage;
using Keel.Tools;

namespace Keel.Replay;

/// <summary>The whole <c>keel replay</c> job: import every input, replay each run through the pipeline in audit mode on all cores,
/// store each run in one transaction, and build the report.</summary>
public sealed class ReplayJob
{
    private readonly IReadOnlyList<AgentVersion> _agents;
    private readonly IRunStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates a job for one agent version, which governs every run.</summary>
    /// <param name="agent">The agent version whose policies are replayed.</param>
    /// <param name="store">Where runs are stored.</param>
    /// <param name="timeProvider">Clock for the report time. The default is <see cref="TimeProvider.System"/>.</param>
    public ReplayJob(AgentVersion agent, IRunStore store, TimeProvider? timeProvider = null)
        : this([agent ?? throw new ArgumentNullException(nameof(agent))], store, timeProvider)
    {
    }

    /// <summary>Creates a job for several agent versions, one per domain: each run is governed by the version whose
    /// <see cref="AgentVersion.Domain"/> is the run's domain; a run of a domain no version declares is skipped and reported.</summary>
    /// <param name="agents">The agent versions; with more than one, each must declare a distinct domain.</param>
    /// <param name="store">Where runs are stored.</param>
    /// <param name="timeProvider">Clock for the report time. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">No agent is given, or several are and one declares no domain or two declare the same.</exception>
    public ReplayJob(IReadOnlyList<AgentVersion> agents, IRunStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Count == 0)
        {
            throw new ArgumentException("Give at least one agent version.", nameof(agents));
        }

        if (agents.Count > 1)
        {
            var missing = agents.FirstOrDefault(a => a.Domain is null);
            if (missing is not null)
            {
                throw new ArgumentException($"Agent '{missing.AgentName}' declares no domain; with several agents each needs 'domain' in agent.yaml to receive its runs.", nameof(agents));
            }

            var twice = agents.GroupBy(a => a.Domain, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new ArgumentException($"Agents {string.Join(" and ", twice.Select(a => $"'{a.AgentName}'"))} both declare domain '{twice.Key}'; give each domain one agent.", nameof(agents));
            }
        }

        _agents = agents;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The workspace replayed runs are stored in: <see cref="ReplayEngine"/>'s default.</summary>
    private const string WorkspaceId = "default";

    /// <summary>Most runs stored in one store call. Value: 64.</summary>
    public const int BatchSize = 64;

    /// <summary>Applied to the text of the report's examples (<see cref="ReportBuilder.Redactor"/>); give the store's redactor so
    /// the report exports no more than the store keeps. <see langword="null"/> exports the text as recorded.</summary>
    /// <value>The default is <see cref="Redactor.Default"/>, the default of the stores.</value>
    public Redactor? Redactor { get; init; } = Redactor.Default;

    /// <summary>The optional LLM classifier: when set, each replayed run is also tagged by it (topic and outcome, source
    /// <see cref="ConversationClassifier.Source"/>) before it is stored, and the report carries its cost and LLM topic accuracy.</summary>
    /// <value>The default is <see langword="null"/>: off (docs/classifier.md).</value>
    public ConversationClassifier? Classifier { get; init; }

    /// <summary>Workers replaying runs in parallel. The default is the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The composition the job replays with: its importers read the inputs, its monitors watch every run, its extra stages
    /// and C# policies are those of live traffic (<c>services.AddKeel()</c>, <see cref="KeelComponents"/>).</summary>
    /// <value>The default is <see cref="KeelComponents.Standard"/>.</value>
    public KeelComponents Components { get; init; } = KeelComponents.Standard;

    /// <summary>The monitors every replayed run is watched by. The default (<see langword="null"/>) is those of <see cref="Components"/>;
    /// the benchmarks replay without some of them to measure what they cost (docs/benchmarks.md).</summary>
    public IReadOnlyList<IRunMonitor>? Monitors { get; init; }

    /// <summary>After <see cref="RunAsync"/>: how many runs already in the store (same workspace and run id) the replay replaced, e.g. by
    /// replaying the same file again; counted among the 10,000 newest stored runs (the most a store lists). 0 before the job has run.</summary>
    public int ReplacedRuns { get; private set; }

    /// <summary>After <see cref="RunAsync"/>: how many of <see cref="ReplacedRuns"/> were live runs (<see cref="Run.Origin"/> <c>live</c>),
    /// not earlier replays.</summary>
    public int ReplacedLiveRuns { get; private set; }

    /// <summary>Runs the job.</summary>
    /// <param name="inputs">Input files (a folder means its <c>*.json</c> run files, without companion files such as BFCL score files), each read by the importer that recognises it.</param>
    /// <param name="progress">Receives runs imported and stored so far; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the job; runs already stored stay stored, none is half-written.</param>
    /// <returns>The report.</returns>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="InvalidDataException">An input file given directly is in no known format or is a companion file, or a run file's companion files are missing (BFCL: the question or score file).</exception>
    /// <exception cref="StoreException">A run could not be stored.</exception>
    public async Task<ReplayReport> RunAsync(IReadOnlyList<string> inputs, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var started = Stopwatch.GetTimestamp();
        var importers = Components.Importers;
        var files = new List<(string Path, IRunImporter? Importer)>();
        foreach (var input in inputs)
        {
            var isFolder = Directory.Exists(input);
            foreach (var file in importers.ResolveRunFiles(input))
            {
                var importer = isFolder ? importers.TryFind(file) : importers.Find(file);
                files.Add((file, importer));
            }
        }

        // Run ids already stored, by origin, so that the runs a replay replaces are counted (saving an id again replaces it). The
        // stores list at most 10,000 runs, the newest first: a replaced run older than those is not counted.
        var existing = (await _store.ListRunsAsync(WorkspaceId, 10_000, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Id, r => r.Origin, StringComparer.Ordinal);
        var diagnostics = new ImportDiagnostics();
        var builder = new ReportBuilder(_agents) { Redactor = Redactor };
        var engines = _agents.ToDictionary(a => a.Domain ?? string.Empty, a => new ReplayEngine(a, monitors: Monitors, components: Components), StringComparer.Ordinal);
        var agents = _agents.ToDictionary(a => a.AgentName, StringComparer.Ordinal);
        var single = _agents.Count == 1 ? engines.Values.Single() : null;
        var agentsByDomain = _agents.ToDictionary(a => a.Domain ?? string.Empty, StringComparer.Ordinal);
        var domainCheck = new DomainCheck();
        var recorded = Channel.CreateBounded<RecordedRun>(new BoundedChannelOptions(64) { SingleWriter = true });
        var replayed = Channel.CreateBounded<ReplayedRun>(new BoundedChannelOptions(64) { SingleReader = true });

        var imported = 0;
        var importDone = false;
        var fileResults = new List<(string Path, string Format)>();
        var produce = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var (path, importer) in files)
                    {
                        if (importer is null)
                        {
                            diagnostics.Skip(new SkippedRecord(path, -1, "$", $"no importer recognises this file; known formats: {string.Join(", ", importers.Formats)}"));
                            fileResults.Add((path, "unknown"));
                            continue;
                        }

                        await foreach (var run in importer.ReadAsync(path, diagnostics, cancellationToken).ConfigureAwait(false))
                        {
                            await recorded.Writer.WriteAsync(run, cancellationToken).ConfigureAwait(false);
                            Interlocked.Increment(ref imported);
                        }

                        fileResults.Add((path, importer.Format));
                    }
                }
                finally
                {
                    Volatile.Write(ref importDone, true);
                    recorded.Writer.Complete();
                }
            },
            cancellationToken);

        var workers = Enumerable.Range(0, Math.Max(1, Parallelism)).Select(_ => Task.Run(
            async () =>
            {
                await foreach (var run in recorded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var engine = single ?? (run.Domain is { } domain && engines.TryGetValue(domain, out var found) ? found : null);
                    if (engine is null)
                    {
                        diagnostics.Skip(new SkippedRecord(run.Source.File, run.Source.Index, "$", $"run '{run.Id}' is of domain '{run.Domain ?? "(none)"}', which none of the agents governs (domains: {string.Join(", ", engines.Keys)}); the run is skipped"));
                        continue;
                    }

                    var agent = single is null ? agentsByDomain[run.Domain!] : _agents[0];
                    domainCheck.Add(agent, run);
                    var result = await engine.ReplayAsync(run, cancellationToken).ConfigureAwait(false);
                    if (Classifier is { } classifier)
                    {
                        result = await classifier.TagAsync(result, agent, cancellationToken).ConfigureAwait(false);
                    }

                    await replayed.Writer.WriteAsync(result, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken)).ToArray();
        var closeReplayed = Task.WhenAll(workers).ContinueWith(t => replayed.Writer.Complete(t.Exception), cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Commits run on a writer task of their own, so the loop keeps taking replayed runs while a batch is written.
        var stored = 0;
        var batches = Channel.CreateBounded<List<ReplayedRun>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(
            async () =>
            {
                try
                {
                    await WriteBatchesAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Stop the loop below at once; the exception itself is rethrown when the writer is awaited.
                    batches.Writer.TryComplete(ex);
                    throw;
                }
            },
            cancellationToken);

        async Task WriteBatchesAsync()
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _store.SaveRunsAsync(batch.ConvertAll(r => r.Run), cancellationToken).ConfigureAwait(false);
                foreach (var run in batch)
                {
                    if (existing.Remove(run.Run.Id, out var origin))
                    {
                        ReplacedRuns++;
                        ReplacedLiveRuns += origin == "live" ? 1 : 0;
                    }
                }

                foreach (var run in batch)
                {
                    builder.Add(RunAssessment.Assess(run, RunAssessment.WriteTools(run, agents[run.Run.AgentName])));
                }

                stored += batch.Count;
                progress?.Report(new ReplayProgress(Volatile.Read(ref imported), stored, Volatile.Read(ref importDone)));
            }
        }

        try
        {
            while (await replayed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var batch = new List<ReplayedRun>(BatchSize);
                while (batch.Count < BatchSize && replayed.Reader.TryRead(out var ready))
                {
                    batch.Add(ready);
                }

                await batches.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException)
        {
            // The writer failed and closed the channel; awaiting it below throws its StoreException.
        }
        finally
        {
            batches.Writer.TryComplete();
        }

        await writer.ConfigureAwait(false);
        await produce.ConfigureAwait(false);
        await closeReplayed.ConfigureAwait(false);
        foreach (var (path, format) in fileResults)
        {
            builder.AddInput(path, format);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return builder.Build(_time.GetUtcNow(), elapsed, diagnostics.Skipped) with { Warnings = domainCheck.Warnings(), Classifier = Classifier?.Chat.Snapshot() };
    }
}

/// <summary>Progress of a replay job.</summary>
/// <param name="Imported">Runs read from the inputs so far.</param>
/// <param name="Stored">Runs replayed and stored so far.</param>
/// <param name="ImportDone">Whether every input has been read (then <paramref name="Imported"/> is the total).</param>
public readonly record struct ReplayProgress(int Imported, int Stored, bool ImportDone);
