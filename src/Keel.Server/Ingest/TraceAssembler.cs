using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Keel.Composition;
using Keel.Model;
using Keel.Otlp.GenAi;
using Keel.Policies;
using Keel.Replay;
using Keel.Storage;
using Keel.Tools;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Trace.V1;

namespace Keel.Server.Ingest;

/// <summary>Builds runs from the buffered spans of OpenTelemetry traces: a trace is due <see cref="OtlpIngestOptions.RootGrace"/> after its
/// root span arrived, or <see cref="OtlpIngestOptions.IdleTimeout"/> after its last span when no root came; its GenAI spans become a
/// recorded run (<see cref="GenAiTraceBuilder"/>) that goes through the same <see cref="ReplayEngine"/> as recorded runs, in audit mode, on
/// channel <c>otlp</c>, with the bundle of the agent it names when the server governs one (otherwise the tools the trace called, without
/// schema or policies: monitors and findings only). The run is stored through <see cref="IRunStore"/>, then its spans leave the buffer.
/// After a restart, the traces still in the buffer are picked up again.</summary>
/// <remarks>Memory is bounded: per incomplete trace only its key and two times are held (spans stay in the buffer), at most
/// <see cref="OtlpIngestOptions.MaxPendingTraces"/>; past it the oldest is built at once. Spans of a trace that arrive after its run was
/// stored are dropped and logged (the run is not rebuilt from them alone).</remarks>
internal sealed partial class TraceAssembler(
    ISpanBuffer? buffer, IRunStore runs, KeelServerOptions server, OtlpIngestOptions options, KeelComponents components, TimeProvider clock,
    ILogger<TraceAssembler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Workspace, string Trace), Pending> _pending = new();
    /// <summary>The most replay engines kept, one per workspace, agent name and version seen in traces.</summary>
    private const int MaxCachedEngines = 1_024;

    private readonly ConcurrentDictionary<(string Workspace, string Agent, string Version), ReplayEngine> _engines = new();
    private readonly SemaphoreSlim _flush = new(1, 1);
    private readonly OtlpIngestOptions _options = Validated(options);
    private long _runsBuilt;
    private bool _recovered;

    /// <summary>How many runs were built and stored since the server started.</summary>
    public long RunsBuilt => Interlocked.Read(ref _runsBuilt);

    /// <summary>How many traces wait to be built.</summary>
    public int PendingTraces => _pending.Count;

    /// <summary>Notes spans that were just committed to the buffer.</summary>
    public void Observe(IReadOnlyList<BufferedSpans> spans)
    {
        var now = clock.GetUtcNow().UtcTicks;
        foreach (var span in spans)
        {
            var pending = _pending.GetOrAdd((span.WorkspaceId, span.TraceId), _ => new Pending(now));
            pending.LastSeen = now;
            if (span.HasRoot)
            {
                pending.RootSeen = true;
            }
        }
    }

    /// <summary>Builds every due trace now, or every pending trace when <paramref name="all"/> is set (tests, shutdown).</summary>
    /// <returns>How many traces were built.</returns>
    public async Task<int> FlushAsync(bool all = false, CancellationToken cancellationToken = default)
    {
        if (buffer is null)
        {
            return 0;
        }

        await _flush.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcTicks;
            if (!_recovered)
            {
                // Traces left in the buffer by an earlier process (a crash or a stop before they were due) are tracked again.
                foreach (var trace in await buffer.ListPendingAsync(cancellationToken))
                {
                    _pending.TryAdd((trace.WorkspaceId, trace.TraceId), new Pending(now) { RootSeen = trace.HasRoot });
                }

                _recovered = true;
            }

            var due = _pending.Where(p => all || IsDue(p.Value, now)).Select(p => p.Key).ToList();
            var excess = _pending.Count - due.Count - _options.MaxPendingTraces;
            if (excess > 0)
            {
                var chosen = due.ToHashSet();
                due.AddRange(_pending.Where(p => !chosen.Contains(p.Key)).OrderBy(p => p.Value.FirstSeen).Take(excess).Select(p => p.Key));
            }

            foreach (var batch in due.Chunk(_options.BuildBatchSize))
            {
                await BuildAsync(buffer, batch, cancellationToken);
            }

            return due.Count;
        }
        finally
        {
            _flush.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (buffer is null)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_options.SweepInterval, clock, stoppingToken);
                try
                {
                    await FlushAsync(false, stoppingToken);
                }
                catch (StoreException ex)
                {
                    LogStoreFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is not built stays in the buffer for the next start.
        }
    }

    private static OtlpIngestOptions Validated(OtlpIngestOptions options)
    {
        options.Validate();
        return options;
    }

    private bool IsDue(Pending pending, long now)
    {
        var quiet = TimeSpan.FromTicks(now - pending.LastSeen);
        return pending.RootSeen ? quiet >= _options.RootGrace : quiet >= _options.IdleTimeout;
    }

    /// <summary>Builds a batch of traces: their spans are read together, each trace is replayed on its own, then the new runs are stored together
    /// (<see cref="IRunStore.SaveRunsAsync"/>) and the batch's spans leave the buffer in one transaction. When storing fails nothing
    /// leaves the buffer, and the next sweep builds the traces again (those whose run was stored are then dropped as already built).</summary>
    private async Task BuildAsync(ISpanBuffer spans, (string Workspace, string Trace)[] keys, CancellationToken cancellationToken)
    {
        var runsBuilt = new List<Run>(keys.Length);
        var built = new List<BuiltTrace>(keys.Length);
        var seen = new List<(Pending? Pending, long LastSeen)>(keys.Length);
        foreach (var key in keys)
        {
            var pending = _pending.GetValueOrDefault(key);
            seen.Add((pending, pending?.LastSeen ?? 0));
        }

        var read = await spans.ReadTracesAsync([.. keys.Select(k => new TraceKey(k.Workspace, k.Trace))], cancellationToken);
        for (var i = 0; i < keys.Length; i++)
        {
            if (await BuildRunAsync(keys[i], read[i], cancellationToken) is { } run)
            {
                runsBuilt.Add(run);
            }

            built.Add(new BuiltTrace(keys[i].Workspace, keys[i].Trace, read[i].LastSequence));
        }

        if (runsBuilt.Count > 0)
        {
            await runs.SaveRunsAsync(runsBuilt, cancellationToken);
            Interlocked.Add(ref _runsBuilt, runsBuilt.Count);
        }

        await spans.RemoveTracesAsync(built, cancellationToken);

        // Spans that arrived while a trace was built keep it pending.
        for (var i = 0; i < keys.Length; i++)
        {
            if (seen[i].Pending is { } pending && pending.LastSeen == seen[i].LastSeen)
            {
                _pending.TryRemove(new KeyValuePair<(string, string), Pending>(keys[i], pending));
            }
        }
    }

    /// <summary>The audited run of one trace's buffered spans; <see langword="null"/> when they hold no GenAI run, or when its run was
    /// already stored (late spans, logged and dropped).</summary>
    private async Task<Run?> BuildRunAsync((string Workspace, string Trace) key, BufferedTrace buffered, CancellationToken cancellationToken)
    {
        var decoded = buffered.Spans.SelectMany(p => ScopeSpans.Parser.ParseFrom(p).Spans).ToList();
        if (decoded.Count == 0 || GenAiTraceBuilder.Build(key.Trace, decoded) is not { } trace)
        {
            return null;
        }

        if (await runs.GetRunAsync(key.Workspace, trace.Run.Id, cancellationToken) is not null)
        {
            LogLateSpans(logger, decoded.Count, key.Trace);
            return null;
        }

        var engine = Engine(key.Workspace, trace);
        var recorded = server.Agents.Any(a => a.AgentName == trace.AgentName) ? trace.Run : trace.Run with { Tools = Catalog(trace.ToolNames) };
        return (await engine.ReplayAsync(recorded, cancellationToken)).Run;
    }

    private ReplayEngine Engine(string workspace, GenAiTrace trace)
    {
        var bundle = server.Agents.FirstOrDefault(a => a.AgentName == trace.AgentName);
        var version = bundle?.Version ?? trace.AgentVersion ?? "otlp";
        if (_engines.Count >= MaxCachedEngines && !_engines.ContainsKey((workspace, trace.AgentName, version)))
        {
            // Agent names and versions come from the senders' spans: a bound keeps a flood of distinct names from
            // growing the cache without end. An engine is cheap to rebuild.
            _engines.Clear();
        }

        return _engines.GetOrAdd((workspace, trace.AgentName, version), k => new ReplayEngine(
            bundle ?? new AgentVersion
            {
                AgentName = k.Agent,
                Version = k.Version,
                Model = trace.Run.AgentModel ?? "unknown",
                PromptFile = string.Empty,
                PromptSha256 = string.Empty,
                Tools = new ToolCatalog([]),
                Policies = PolicySet.Empty,
            },
            k.Workspace,
            channel: Run.OtlpChannel,
            components: components));
    }

    /// <summary>The catalog of an agent without a bundle: every tool the trace called, any JSON object as arguments.</summary>
    private static ToolCatalog Catalog(IReadOnlyList<string> tools) => ToolCatalogLoader.Parse(
        new JsonObject
        {
            ["tools"] = new JsonArray([.. tools.Select(name => (JsonNode)new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = name,
                    ["description"] = "A tool seen in an OpenTelemetry trace; no bundle describes it.",
                    ["parameters"] = new JsonObject { ["type"] = "object" },
                },
            })]),
        },
        "otlp",
        strict: false);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "OTLP ingest: building runs failed, the spans stay buffered: {Message}")]
    private static partial void LogStoreFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "OTLP ingest: {Count} span(s) of trace {TraceId} arrived after its run was stored; dropped")]
    private static partial void LogLateSpans(ILogger logger, int count, string traceId);

    private sealed class Pending(long firstSeen)
    {
        public long FirstSeen { get; } = firstSeen;

        public long LastSeen { get; set; } = firstSeen;

        public bool RootSeen { get; set; }
    }
}
