using System.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Policies;
using Keel.Replay;
using Keel.Storage;
using Newtonsoft.Json.Linq;

namespace Keel.Benchmarks.Throughput;

/// <summary>
/// Where one thread's time goes when replaying runs: each standard stage wrapped in a stopwatch (exclusive time = the
/// stage's inclusive time minus the next stage's), the monitors, the messages, and after each run the assessment, the
/// report and the in-memory snapshot. The replay loop follows <see cref="ReplayEngine.ReplayAsync"/> (same clock, same
/// steps); only its closing handoff packet is left out. Side measurements, taken outside the stage timers: each policy
/// rule evaluated alone, and the Newtonsoft <c>JToken.Parse</c> the schema validator does first.
/// </summary>
internal sealed class ReplayProfiler
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _rules = new(StringComparer.Ordinal);
    private long _monitorTicksInPipeline;
    private bool _inPipeline;
    private int _runs;

    public int Runs => _runs;

    public async Task ProfileAsync(Workload workload, IEnumerable<RecordedRun> runs)
    {
        var agent = workload.Agent;
        var standard = new ToolCallPipelineBuilder().AddStandardStages(RecordedToolExecutor.Instance, "default").Build().Stages;
        var inclusive = new long[standard.Count + 1];
        var calls = new int[standard.Count + 1];
        var builder = new ToolCallPipelineBuilder();
        for (var i = 0; i < standard.Count; i++)
        {
            builder.Add(new TimedStage(standard[i], i, inclusive, calls, this, agent));
        }

        var pipeline = builder.Build();
        var writeTools = agent.Tools.Tools.Where(t => t.Type == Tools.ToolType.Write).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var report = new Reports.ReportBuilder(agent);
        var store = new InMemoryRunStore();
        foreach (var recorded in runs)
        {
            var t0 = Stopwatch.GetTimestamp();
            var run = new Run(recorded.Id, "default", agent.AgentName, agent.Version, recorded.StartedAt) { WorkflowClass = recorded.Domain };
            var state = new RunState(run);
            var monitors = new RunMonitors(run, agent, RunMonitors.Standard);
            var timedMonitors = new TimedObserver(monitors, this);
            state.Observer = timedMonitors;
            var audited = new List<AuditedCall>();
            var now = recorded.StartedAt;
            var firstStamp = recorded.Steps.Select(Stamp).FirstOrDefault(t => t is not null);
            var shift = firstStamp is { } first ? recorded.StartedAt - first : TimeSpan.Zero;
            Add("replay: run setup (state, monitors)", Stopwatch.GetTimestamp() - t0);
            foreach (var step in recorded.Steps)
            {
                switch (step)
                {
                    case RecordedMessage message:
                        t0 = Stopwatch.GetTimestamp();
                        now = message.Timestamp + shift ?? now;
                        state.AppendMessage(message.Role, message.Content, now);
                        Add("replay: messages (append + monitors)", Stopwatch.GetTimestamp() - t0);
                        break;
                    case RecordedToolCall { Requestor: "assistant" } toolCall:
                        now = toolCall.Timestamp + shift ?? now;
                        var context = new ToolCallContext(toolCall.Call, state, agent, now, PipelineMode.Audit, toolCall.Result);
                        _inPipeline = true;
                        var outcome = await pipeline.ExecuteAsync(context);
                        _inPipeline = false;
                        audited.Add(new AuditedCall(toolCall.Call, context.Tool?.Type, outcome.Decision, toolCall.Result));
                        break;
                    case RecordedToolCall customerCall:
                        t0 = Stopwatch.GetTimestamp();
                        now = customerCall.Timestamp + shift ?? now;
                        state.Observe(run.Append(new ToolCallEvent(customerCall.Call) { Timestamp = now }));
                        if (customerCall.Result is { } result)
                        {
                            state.Observe(run.Append(new ToolResultEvent(result, customerCall.Call.ToolName) { Timestamp = now }));
                        }

                        Add("replay: customer-side calls (append + monitors)", Stopwatch.GetTimestamp() - t0);
                        break;
                }
            }

            t0 = Stopwatch.GetTimestamp();
            monitors.Complete(now);
            run.Status = RunStatus.Completed;
            var replayed = new ReplayedRun(recorded, run, audited, monitors.Findings);
            Add("replay: monitors complete", Stopwatch.GetTimestamp() - t0);

            t0 = Stopwatch.GetTimestamp();
            var assessment = RunAssessment.Assess(replayed, writeTools);
            Add("job: RunAssessment.Assess", Stopwatch.GetTimestamp() - t0);
            t0 = Stopwatch.GetTimestamp();
            report.Add(assessment);
            Add("job: ReportBuilder.Add", Stopwatch.GetTimestamp() - t0);
            t0 = Stopwatch.GetTimestamp();
            await store.SaveRunAsync(run);
            Add("store: InMemoryRunStore.SaveRunAsync (JSON snapshot)", Stopwatch.GetTimestamp() - t0);
            _runs++;
        }

        for (var i = 0; i < standard.Count; i++)
        {
            var exclusive = inclusive[i] - inclusive[i + 1];
            if (i == 0)
            {
                // The record stage notifies the monitors inside the pipeline; count that under the monitors.
                exclusive -= _monitorTicksInPipeline;
                Add("replay: monitors (tool call events, inside record stage)", _monitorTicksInPipeline, 0);
                _monitorTicksInPipeline = 0;
            }

            Add($"stage {i + 1}: {standard[i].Name}", exclusive, calls[i]);
        }
    }

    /// <summary>Rows: name, total ms, µs per run, µs per call (when counted), share of the total.</summary>
    public IReadOnlyList<(string Name, double TotalMs, double MicrosPerRun, double? MicrosPerCall, int Count)> Rows(bool rules)
    {
        var source = rules ? _rules : _buckets;
        return [.. source.Select(b => (b.Key, Ms(b.Value.Ticks), Ms(b.Value.Ticks) * 1000 / _runs, b.Value.Count > 0 ? Ms(b.Value.Ticks) * 1000 / b.Value.Count : (double?)null, b.Value.Count))];
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static DateTimeOffset? Stamp(RecordedStep step) => step switch
    {
        RecordedMessage m => m.Timestamp,
        RecordedToolCall c => c.Timestamp,
        _ => null,
    };

    private void Add(string name, long ticks, int count = 1) => Add(_buckets, name, ticks, count);

    private static void Add(Dictionary<string, Bucket> into, string name, long ticks, int count)
    {
        into.TryGetValue(name, out var bucket);
        into[name] = new Bucket(bucket.Ticks + ticks, bucket.Count + count);
    }

    private readonly record struct Bucket(long Ticks, int Count);

    private sealed class TimedObserver(IRunObserver inner, ReplayProfiler owner) : IRunObserver
    {
        public void Observe(RunEvent runEvent)
        {
            var t0 = Stopwatch.GetTimestamp();
            inner.Observe(runEvent);
            if (owner._inPipeline)
            {
                owner._monitorTicksInPipeline += Stopwatch.GetTimestamp() - t0;
            }
        }
    }

    private sealed class TimedStage(IToolCallStage inner, int index, long[] inclusive, int[] calls, ReplayProfiler owner, AgentVersion agent) : IToolCallStage
    {
        public string Name => inner.Name;

        public async ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
        {
            if (inner is PolicyStage or SchemaStage)
            {
                // Side measurements run inside the outer stages' timers: take their time back out of those.
                var s0 = Stopwatch.GetTimestamp();
                if (inner is PolicyStage)
                {
                    ProfileRules(context);
                }
                else
                {
                    var p0 = Stopwatch.GetTimestamp();
                    _ = JToken.Parse(string.IsNullOrWhiteSpace(context.Call.ArgumentsJson) ? "{}" : context.Call.ArgumentsJson);
                    Add(owner._rules, "(schema) Newtonsoft JToken.Parse of the arguments alone", Stopwatch.GetTimestamp() - p0, 1);
                }

                var side = Stopwatch.GetTimestamp() - s0;
                for (var j = 0; j < index; j++)
                {
                    inclusive[j] -= side;
                }
            }

            var t0 = Stopwatch.GetTimestamp();
            var outcome = await inner.InvokeAsync(context, next, cancellationToken);
            inclusive[index] += Stopwatch.GetTimestamp() - t0;
            calls[index]++;
            return outcome;
        }

        private void ProfileRules(ToolCallContext context)
        {
            var policyContext = new PolicyContext(context.Call, context.Tool, context.Arguments, context.State, context.Now);
            foreach (var rule in agent.Policies.Rules)
            {
                if (!rule.Header.AppliesTo(context.Call.ToolName))
                {
                    continue;
                }

                var t0 = Stopwatch.GetTimestamp();
                _ = rule.Evaluate(policyContext);
                Add(owner._rules, $"{agent.AgentName} {rule.Id} ({rule.Header.Kind})", Stopwatch.GetTimestamp() - t0, 1);
            }
        }
    }
}
