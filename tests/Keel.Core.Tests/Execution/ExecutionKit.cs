using Keel.Core.Tests.Gateway;
using Keel.Execution;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Core.Tests.Execution;

/// <summary>Keel's standard chain in enforce mode with execution settings and a manual clock, over GatewayKit's airline tools:
/// get_reservation_details (READ, idempotent), cancel_reservation (WRITE, not idempotent), update_reservation_flights (WRITE, idempotent).</summary>
internal static class ExecutionKit
{
    public const string Read = "get_reservation_details";

    public const string Write = "cancel_reservation";

    public const string IdempotentWrite = "update_reservation_flights";

    /// <summary>Settings that make the arithmetic of a test easy to follow: 10 s per attempt, 2 retries from 200 ms, no jitter,
    /// and a circuit that needs 100 calls (so it stays out of retry tests).</summary>
    public static ExecutionOptions Plain { get; } = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        BaseDelay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(2),
        UseJitter = false,
        CircuitMinimumThroughput = 100,
    };

    public static ToolCallPipeline Pipeline(IToolExecutor executor, ExecutionOptions options, TimeProvider clock) =>
        new ToolCallPipelineBuilder().AddStandardStages(new ExecuteStage(executor, options, clock), GatewayKit.WorkspaceId).Build();

    /// <summary>A call of <paramref name="tool"/> with valid arguments; <paramref name="reservation"/> varies them (the loop guard
    /// denies a fourth identical call).</summary>
    public static ToolCall Call(string tool, string reservation = "ABC123") => GatewayKit.Call(tool, tool == IdempotentWrite
        ? $$"""{"reservation_id": "{{reservation}}", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}"""
        : $$"""{"reservation_id": "{{reservation}}"}""");

    /// <summary>Runs one call in enforce mode, moving the manual clock whenever the pipeline waits on it.</summary>
    public static Task<ToolCallOutcome> EnforceAsync(ManualTimeProvider clock, ToolCallPipeline pipeline, RunState state, ToolCall call, AgentVersion? agent = null, CancellationToken cancellationToken = default) =>
        clock.RunAsync(Start(pipeline, state, call, agent, cancellationToken));

    /// <summary>Starts one call in enforce mode without moving the clock.</summary>
    public static Task<ToolCallOutcome> Start(ToolCallPipeline pipeline, RunState state, ToolCall call, AgentVersion? agent = null, CancellationToken cancellationToken = default) =>
        pipeline.ExecuteAsync(new ToolCallContext(call, state, agent ?? GatewayKit.Agent(), GatewayKit.Clock, PipelineMode.Enforce), cancellationToken).AsTask();

    public static ExecutionEvent[] Executions(RunState state) => [.. state.Run.Events.OfType<ExecutionEvent>()];

    /// <summary>Each execution event as "outcome@attempt", e.g. <c>error@1</c>, <c>retry_scheduled@2</c>.</summary>
    public static string[] Steps(RunState state) =>
        [.. Executions(state).Select(e => $"{Keel.Storage.RunEventJson.EnumName(e.Outcome)}@{e.Attempt}")];
}
