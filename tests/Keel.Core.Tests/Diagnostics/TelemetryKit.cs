using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Keel.Core.Tests.Execution;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Keel.Tools;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Diagnostics;

/// <summary>An agent whose tool and agent names are unique to one test, so that spans and measurements of tests running in parallel
/// (Keel's source and meter are process-wide) never mix: collectors keep only what carries this test's names.</summary>
internal sealed class TelemetryKit
{
    public TelemetryKit(BudgetLimits? budgets = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Lookup = "lookup_" + suffix;
        Refund = "refund_" + suffix;
        RunId = "run-" + suffix;
        var tools = """
            {"tools": [
              {"type": "function", "x-tool-type": "READ", "function": {"name": "LOOKUP", "description": "Look up an order.",
                "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}},
              {"type": "function", "x-tool-type": "WRITE", "function": {"name": "REFUND", "description": "Refund an order.",
                "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}, "amount": {"type": "number"}}, "required": ["order_id", "amount"]}}}
            ]}
            """.Replace("LOOKUP", Lookup, StringComparison.Ordinal).Replace("REFUND", Refund, StringComparison.Ordinal);
        var policies = $$"""
            policy: telemetry
            version: "3"
            rules:
              - id: refund.cap
                kind: parameter_constraint
                tools: [{{Refund}}]
                require: args.amount <= 500
                reason: "refunds above $500 are never made"
                cite: "c"
              - id: refund.review
                kind: parameter_constraint
                tools: [{{Refund}}]
                require: args.amount <= 100
                on_fail: require_approval
                reason: "refunds above $100 need a person"
                cite: "c"
            """;
        Agent = Gateway.GatewayKit.Agent(budgets: budgets) with
        {
            AgentName = "agent-" + suffix,
            Tools = ToolCatalogLoader.Parse(JsonNode.Parse(tools), "tools.json"),
            Policies = Gateway.GatewayKit.Policies(policies),
        };
    }

    /// <summary>A READ tool.</summary>
    public string Lookup { get; }

    /// <summary>A WRITE tool: denied above 500, held for approval above 100.</summary>
    public string Refund { get; }

    public string RunId { get; }

    public AgentVersion Agent { get; }

    public RunState NewState() => new(new Run(RunId, WorkspaceId, Agent.AgentName, Agent.Version, Clock));

    public ToolCallContext Context(ToolCall call, RunState state, PipelineMode mode = PipelineMode.Enforce, ToolResult? recorded = null) =>
        new(call, state, Agent, Clock, mode, recorded);

    /// <summary>The standard chain in enforce mode with <paramref name="executor"/> as the tool.</summary>
    public static ToolCallPipeline Standard(IToolExecutor executor, TelemetryOptions? options = null) =>
        new ToolCallPipelineBuilder().AddStandardStages(executor, WorkspaceId, telemetry: options).Build();
}

/// <summary>Collects the stopped spans of Keel's source that belong to one run (<c>gen_ai.conversation.id</c>).</summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCollector(string runId)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KeelDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(GenAiAttributes.ConversationId) as string == runId)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    public Activity Single(string operation) => Stopped.Single(a => a.GetTagItem(GenAiAttributes.OperationName) as string == operation);

    public void Dispose() => _listener.Dispose();
}

/// <summary>Collects measurements of Keel's meter whose tags contain a given tag (a test's unique tool or agent name).</summary>
internal sealed class MeasurementCollector : IDisposable
{
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _listener = new();

    public MeasurementCollector(string tagKey, string tagValue)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KeelDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags, tagKey, tagValue));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags, tagKey, tagValue));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    public void Dispose() => _listener.Dispose();

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string tagKey, string tagValue)
    {
        var copy = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
        if (copy.TryGetValue(tagKey, out var v) && v as string == tagValue)
        {
            _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
        }
    }
}

internal sealed record Measurement(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags);

/// <summary>A stage that moves a clock, optionally throws, then continues.</summary>
internal sealed class ProbeStage(ManualTimeProvider? clock = null, TimeSpan advance = default, Exception? toThrow = null) : IToolCallStage
{
    public string Name => "probe";

    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        clock?.Advance(advance);
        return toThrow is not null ? throw toThrow : next(context, cancellationToken);
    }
}
