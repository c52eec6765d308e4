using System.Diagnostics;
using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Policies;
using Keel.Replay;
using Keel.Storage;

namespace Keel.Benchmarks.Throughput;

/// <summary>
/// Where one thread's time goes when replaying runs. Each standard stage is wrapped in a stopwatch (exclusive time = the
/// stage's inclusive time minus the next stage's), each standard monitor too (its time is taken out of the part that
/// notified it), and after each run the assessment, the report and the in-memory snapshot are timed. The replay loop
/// follows <see cref="ReplayEngine.ReplayAsync"/> (same clock, same steps); only its closing handoff packet is left out.
/// </summary>
/// <remarks>Side measurements, taken outside every timer and listed apart: each policy rule evaluated alone, the
/// schema validation of the call's parsed arguments, and the record stage's JSON work (arguments parse and
/// fingerprint, the parse of read results into facts, the result-dedup key).</remarks>
internal sealed class ReplayProfiler
{
    private readonly Dictionary<string, Bucket> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _side = new(StringComparer.Ordinal);
    private long _monitorTicks;
    private int _runs;

    public int Runs => _runs;

    public async Task ProfileAsync(Workload workload, IEnumerable<RecordedRun> runs)
    {
        var agent = workload.Agent;
        var standard = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, "default").Build().Stages;
        var inclusive = new long[standard.Count + 1];
        var calls = new int[standard.Count + 1];
        var builder = new ToolCallPipelineBuilder();
        for (var i = 0; i < standard.Count; i++)
        {
            builder.Add(new TimedStage(standard[i], i, inclusive, calls, this, agent));
        }

        var pipeline = builder.Build();
        IRunMonitor[] monitorSet = [.. RunMonitors.Standard.Select(m => new TimedMonitor(m, this))];
        var writeTools = agent.Tools.Tools.Where(t => t.Type == Tools.ToolType.Write).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var report = new Reports.ReportBuilder(agent);
        var store = new InMemoryRunStore();
        var monitorsInPipeline = 0L;
        foreach (var recorded in runs)
        {
            var section = Begin();
            var run = new Run(recorded.Id, "default", agent.AgentName, agent.Version, recorded.StartedAt) { WorkflowClass = recorded.Domain };
            var state = new RunState(run);
            var monitors = new RunMonitors(run, agent, monitorSet);
            state.Observer = monitors;
            var audited = new List<AuditedCall>();
            var now = recorded.StartedAt;
            var firstStamp = recorded.Steps.Select(Stamp).FirstOrDefault(t => t is not null);
            var shift = firstStamp is { } first ? recorded.StartedAt - first : TimeSpan.Zero;
            End("replay: run setup (state, monitor sessions)", section);
            foreach (var step in recorded.Steps)
            {
                switch (step)
                {
                    case RecordedMessage message:
                        section = Begin();
                        now = message.Timestamp + shift ?? now;
                        state.AppendMessage(message.Role, message.Content, now);
                        End("replay: messages (append, state)", section);
                        break;
                    case RecordedToolCall { Requestor: "assistant" } toolCall:
                        now = toolCall.Timestamp + shift ?? now;
                        var context = new ToolCallContext(toolCall.Call, state, agent, now, PipelineMode.Audit, toolCall.Result);
                        var monitorsBefore = _monitorTicks;
                        var outcome = await pipeline.ExecuteAsync(context);
                        monitorsInPipeline += _monitorTicks - monitorsBefore;
                        audited.Add(new AuditedCall(toolCall.Call, context.Tool?.Type, outcome.Decision, toolCall.Result));
                        break;
                    case RecordedToolCall customerCall:
                        section = Begin();
                        now = customerCall.Timestamp + shift ?? now;
                        state.Observe(run.Append(new ToolCallEvent(customerCall.Call) { Timestamp = now }));
                        if (customerCall.Result is { } result)
                        {
                            state.Observe(run.Append(new ToolResultEvent(result, customerCall.Call.ToolName) { Timestamp = now }));
                        }

                        End("replay: customer-side calls (append)", section);
                        break;
                }
            }

            section = Begin();
            monitors.Complete(now);
            run.Status = RunStatus.Completed;
            var replayed = new ReplayedRun(recorded, run, audited, monitors.Findings);
            End("replay: monitors complete", section);

            section = Begin();
            var assessment = RunAssessment.Assess(replayed, writeTools);
            End("job: RunAssessment.Assess", section);
            section = Begin();
            report.Add(assessment);
            End("job: ReportBuilder.Add", section);
            section = Begin();
            await store.SaveRunAsync(run);
            End("store: InMemoryRunStore.SaveRunAsync (JSON of every event)", section);
            _runs++;
        }

        for (var i = 0; i < standard.Count; i++)
        {
            // Monitors are notified inside the record stage; their time is in their own rows.
            var exclusive = inclusive[i] - inclusive[i + 1] - (i == 0 ? monitorsInPipeline : 0);
            Add(_parts, $"stage {i + 1}: {standard[i].Name}", exclusive, calls[i]);
        }
    }

    /// <summary>Rows: name, total ms, µs per run, µs per call (when counted per call), count.</summary>
    public IReadOnlyList<(string Name, double TotalMs, double MicrosPerRun, double? MicrosPerCall, int Count)> Rows(bool side)
    {
        var source = side ? _side : _parts;
        return [.. source.Select(b => (b.Key, Ms(b.Value.Ticks), Ms(b.Value.Ticks) * 1000 / _runs, b.Value.Count > 0 ? Ms(b.Value.Ticks) * 1000 / b.Value.Count : (double?)null, b.Value.Count))];
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static DateTimeOffset? Stamp(RecordedStep step) => step switch
    {
        RecordedMessage m => m.Timestamp,
        RecordedToolCall c => c.Timestamp,
        _ => null,
    };

    private (long Start, long Monitors) Begin() => (Stopwatch.GetTimestamp(), _monitorTicks);

    /// <summary>Books the time since <paramref name="section"/> began, less the monitors' time in it.</summary>
    private void End(string name, (long Start, long Monitors) section) =>
        Add(_parts, name, Stopwatch.GetTimestamp() - section.Start - (_monitorTicks - section.Monitors), 0);

    private static void Add(Dictionary<string, Bucket> into, string name, long ticks, int count)
    {
        into.TryGetValue(name, out var bucket);
        into[name] = new Bucket(bucket.Ticks + ticks, bucket.Count + count);
    }

    private readonly record struct Bucket(long Ticks, int Count);

    private sealed class TimedMonitor(IRunMonitor inner, ReplayProfiler owner) : IRunMonitor
    {
        public string Name => inner.Name;

        public IMonitorSession Start(Run run, AgentVersion agent) => new Session(inner.Start(run, agent), owner, $"monitor: {inner.Name}");

        private sealed class Session(IMonitorSession inner, ReplayProfiler owner, string name) : IMonitorSession
        {
            public void Observe(RunEvent runEvent, ICollection<Finding> findings)
            {
                var t0 = Stopwatch.GetTimestamp();
                inner.Observe(runEvent, findings);
                var ticks = Stopwatch.GetTimestamp() - t0;
                owner._monitorTicks += ticks;
                Add(owner._parts, name, ticks, 0);
            }

            public void Complete(ICollection<Finding> findings)
            {
                var t0 = Stopwatch.GetTimestamp();
                inner.Complete(findings);
                var ticks = Stopwatch.GetTimestamp() - t0;
                owner._monitorTicks += ticks;
                Add(owner._parts, name, ticks, 0);
            }
        }
    }

    private sealed class TimedStage(IToolCallStage inner, int index, long[] inclusive, int[] calls, ReplayProfiler owner, AgentVersion agent) : IToolCallStage
    {
        public string Name => inner.Name;

        public async ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
        {
            // Side measurements run inside the outer stages' timers: take their time back out of those.
            var s0 = Stopwatch.GetTimestamp();
            switch (inner)
            {
                case PolicyStage:
                    ProfileRules(context);
                    break;
                case SchemaStage:
                    Side("(schema) JsonSchema.Net evaluation of the parsed arguments alone", () => context.Agent.Tools.TryGet(context.Call.ToolName, out var tool) ? tool.Validator.Validate(context.Call) : null);
                    break;
                case RecordStage:
                    ProfileRecord(context);
                    break;
            }

            var side = Stopwatch.GetTimestamp() - s0;
            for (var j = 0; j < index; j++)
            {
                inclusive[j] -= side;
            }

            var t0 = Stopwatch.GetTimestamp();
            var outcome = await inner.InvokeAsync(context, next, cancellationToken);
            inclusive[index] += Stopwatch.GetTimestamp() - t0;
            calls[index]++;
            return outcome;
        }

        private void Side(string name, Func<object?> work)
        {
            var t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(work());
            Add(owner._side, name, Stopwatch.GetTimestamp() - t0, 1);
        }

        private void ProfileRecord(ToolCallContext context)
        {
            var call = context.Call;
            Side("(record) arguments parse + canonical-JSON fingerprint", () =>
                call.TryParseArguments(out var arguments, out _) ? call.ToolName + "\u001f" + CanonicalJson.Write(arguments) : null);
            if (context.RecordedResult is not { } result)
            {
                return;
            }

            Side("(record) result-dedup key: tool + output concatenated and hashed", () => (call.ToolName + "\u001f" + result.Output).GetHashCode(StringComparison.Ordinal));
            if (result.IsSuccess && agent.Tools.TryGet(call.ToolName, out var tool) && tool.Type == Tools.ToolType.Read
                && result.Output.AsSpan().TrimStart() is [ '{' or '[', ..])
            {
                Side("(record) read result → fact: JsonDocument.Parse + Clone", () =>
                {
                    try
                    {
                        using var document = JsonDocument.Parse(result.Output);
                        return document.RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                });
            }
        }

        private void ProfileRules(ToolCallContext context)
        {
            var policyContext = new PolicyContext(context.Call, context.Tool, context.Arguments, context.State, context.Now);
            foreach (var rule in agent.Policies.Rules)
            {
                if (rule.Header.AppliesTo(context.Call.ToolName))
                {
                    Side($"{agent.AgentName} {rule.Id} ({rule.Header.Kind})", () => rule.Evaluate(policyContext));
                }
            }
        }
    }
}
