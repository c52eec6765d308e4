using System.Collections.Concurrent;
using System.Net.Sockets;
using Keel.Failures;
using Keel.Model;
using Keel.Tools;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Keel.Execution;

/// <summary>The Polly resilience pipelines of the execute stage, one per tool: retry (outermost) → circuit breaker → timeout
/// per attempt (innermost). Built on first use and kept, so each tool has its own circuit breaker for as long as this object lives.</summary>
/// <remarks>
/// <para>Why this order: the timeout bounds each attempt, and the circuit breaker sees every attempt (a timed-out attempt
/// counts against the tool's circuit); the retry wraps both, so a retry of an open circuit is refused at once instead of
/// waiting. A call therefore takes at most <see cref="ExecutionOptions.MaxExecutionTime"/>.</para>
/// <para>What is retried: only transient failures (an error result <see cref="FailureClassifier.IsTransient(Keel.Model.ToolResult)"/> says is transient: by the executor's <see cref="Keel.Model.ToolErrorKind"/>, or by its text when unclassified,
/// a timeout, or an executor's <see cref="HttpRequestException"/>, <see cref="IOException"/>, <see cref="SocketException"/> or
/// <see cref="TimeoutException"/>) of idempotent tools (<see cref="ToolDefinition.IsIdempotent"/>): repeating a write that is not
/// idempotent may make it act twice. What opens a circuit: the same transient failures and any other exception of an executor,
/// from any tool; a tool's business refusal (a semantic error) is an answer and counts as a success.</para>
/// <para>Bounded: one pipeline per tool name and effective settings, and tool names come from agent versions' catalogs, so there are
/// at most as many pipelines as tools of the agent versions served (plus one shared by calls of tools no catalog knows).
/// Thread-safe: one instance serves every run; share it between gateways that call the same tools so they share circuits.</para>
/// </remarks>
public sealed class ToolResiliencePipelines
{
    private readonly ConcurrentDictionary<PipelineKey, ResiliencePipeline<ToolResult>> _pipelines = new();

    /// <summary>Creates an empty set of pipelines.</summary>
    /// <param name="options">The settings of agents without an <c>execution:</c> section. The default is <see cref="ExecutionOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock of timeouts, backoff delays and circuit breaks. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a setting out of range (the message names it).</exception>
    public ToolResiliencePipelines(ExecutionOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? ExecutionOptions.Default;
        Options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The settings of agents without an <c>execution:</c> section.</summary>
    public ExecutionOptions Options { get; }

    /// <summary>The clock of timeouts, backoff delays and circuit breaks.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The effective settings of one tool: the agent's <c>execution:</c> settings (or <see cref="Options"/>) with the
    /// tool's <c>x-timeout-ms</c> as the attempt timeout when it declares one.</summary>
    /// <param name="tool">The tool, or <see langword="null"/> when no catalog knows it.</param>
    /// <param name="agentOptions">The agent version's settings, or <see langword="null"/> for <see cref="Options"/>.</param>
    /// <returns>The settings the tool's pipeline is built with.</returns>
    public ExecutionOptions SettingsFor(ToolDefinition? tool, ExecutionOptions? agentOptions = null)
    {
        var settings = agentOptions ?? Options;
        return tool?.Timeout is { } timeout && timeout != settings.AttemptTimeout ? settings with { AttemptTimeout = timeout } : settings;
    }

    /// <summary>The pipeline of one tool, built on first use.</summary>
    /// <exception cref="ArgumentException"><paramref name="settings"/> has a setting out of range.</exception>
    internal ResiliencePipeline<ToolResult> GetPipeline(string toolName, bool idempotent, ExecutionOptions settings) =>
        _pipelines.GetOrAdd(new PipelineKey(toolName, idempotent, settings), static (key, time) => Build(key, time), TimeProvider);

    /// <summary>Whether an attempt's outcome is a transient failure: worth retrying for an idempotent tool.</summary>
    internal static bool IsTransient(Outcome<ToolResult> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } result && FailureClassifier.IsTransient(result),
        TimeoutRejectedException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>Whether an attempt's outcome counts against the tool's circuit: a transient failure or any executor exception
    /// (broken infrastructure), but not a cancellation and not a refusal by the circuit itself.</summary>
    internal static bool CountsAgainstCircuit(Outcome<ToolResult> outcome) =>
        IsTransient(outcome) || outcome.Exception is not (null or OperationCanceledException or BrokenCircuitException);

    private static ResiliencePipeline<ToolResult> Build(PipelineKey key, TimeProvider time)
    {
        var settings = key.Settings;
        settings.Validate();
        var builder = new ResiliencePipelineBuilder<ToolResult> { Name = "keel.execute", InstanceName = key.ToolName, TimeProvider = time };
        if (key.Idempotent && settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ToolResult>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff.Delay(settings, args.AttemptNumber + 1)),
                OnRetry = static args =>
                {
                    CallExecution.From(args.Context)?.OnRetryScheduled(args.AttemptNumber, args.RetryDelay, args.Outcome);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ToolResult>
            {
                FailureRatio = settings.CircuitFailureRatio,
                MinimumThroughput = settings.CircuitMinimumThroughput,
                SamplingDuration = settings.CircuitSamplingDuration,
                BreakDuration = settings.CircuitBreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(CountsAgainstCircuit(args.Outcome)),
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    private readonly record struct PipelineKey(string ToolName, bool Idempotent, ExecutionOptions Settings);
}
