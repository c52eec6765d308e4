using Keel.Execution;
using Keel.Model;
using Polly;

namespace Keel.Gateway;

/// <summary>Execute: the innermost stage. Calls the tool through an <see cref="IToolExecutor"/>. In enforce mode each call goes
/// through its tool's Polly resilience pipeline (<see cref="ToolResiliencePipelines"/>): a timeout per attempt, bounded retries
/// with exponential backoff and jitter for transient failures of idempotent tools only, and a circuit breaker per tool; every
/// attempt and scheduled retry is appended to the run as an <see cref="ExecutionEvent"/> (docs/execution.md). Replay composes
/// <see cref="Recorded"/> instead: the recorded result directly, no pipeline, no retry, no execution event.</summary>
/// <remarks>A call that ends without an answer is an error result, never a success: a timed-out or failed write that is not
/// idempotent says <see cref="Failures.FailureClassifier.OutcomeUnknown"/> and escalates; an open circuit refuses the call without
/// calling the tool. An executor's exception becomes such an error result (its message, which may hold secrets, is not repeated);
/// the caller's cancellation propagates as <see cref="OperationCanceledException"/>. Thread-safe: one stage serves every run.</remarks>
public sealed class ExecuteStage : IToolCallStage
{
    private readonly IToolExecutor _executor;
    private readonly ToolResiliencePipelines? _pipelines;

    /// <summary>Creates the stage with its own pipelines (and so its own circuits).</summary>
    /// <param name="executor">Calls the tool.</param>
    /// <param name="options">Timeouts, retries and circuit breakers of agents without an <c>execution:</c> section. The default is <see cref="ExecutionOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock of timeouts, backoff delays and circuit breaks. The default is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a setting out of range (the message names it).</exception>
    public ExecuteStage(IToolExecutor executor, ExecutionOptions? options = null, TimeProvider? timeProvider = null)
        : this(executor, new ToolResiliencePipelines(options, timeProvider))
    {
    }

    /// <summary>Creates the stage on shared pipelines, so that several gateways calling the same tools share their circuits.</summary>
    /// <param name="executor">Calls the tool.</param>
    /// <param name="pipelines">The tools' resilience pipelines.</param>
    /// <exception cref="ArgumentNullException"><paramref name="executor"/> or <paramref name="pipelines"/> is <see langword="null"/>.</exception>
    public ExecuteStage(IToolExecutor executor, ToolResiliencePipelines pipelines)
    {
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _pipelines = pipelines ?? throw new ArgumentNullException(nameof(pipelines));
    }

    private ExecuteStage(IToolExecutor executor) => _executor = executor;

    /// <summary>The execute stage of audit mode: answers each call with its recorded result (<see cref="RecordedToolExecutor"/>),
    /// without a resilience pipeline — nothing runs, so nothing times out, retries or trips a circuit.</summary>
    public static ExecuteStage Recorded { get; } = new(RecordedToolExecutor.Instance);

    /// <inheritdoc />
    public string Name => "execute";

    /// <inheritdoc />
    public async ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decision = context.PendingDecision switch
        {
            null => Decision.Allowed,
            { Kind: DecisionKind.Allow } allowed => allowed,
            var approved => approved with { Kind = DecisionKind.Allow, Reason = $"approved: {approved.Reason}" },
        };
        if (_pipelines is null)
        {
            return new ToolCallOutcome(decision, await _executor.ExecuteAsync(context, cancellationToken).ConfigureAwait(false), null);
        }

        var tool = context.Tool ?? (context.Agent.Tools.TryGet(context.Call.ToolName, out var known) ? known : null);
        var settings = _pipelines.SettingsFor(tool, context.Agent.Execution);

        // A tool no catalog knows shares one pipeline (its name is the agent's to choose, so it cannot key the cache) and is never retried.
        var pipeline = _pipelines.GetPipeline(tool?.Name ?? string.Empty, tool?.IsIdempotent == true, settings);
        var call = new CallExecution(context, tool, _executor, settings, _pipelines.TimeProvider, cancellationToken);
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            call.AttachTo(resilience);
            var outcome = await pipeline.ExecuteOutcomeAsync(CallExecution.Attempt, resilience, call).ConfigureAwait(false);
            return call.ToOutcome(outcome, decision);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }
}
