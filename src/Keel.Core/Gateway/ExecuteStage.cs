using Keel.Failures;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>Execute: the innermost stage. Calls the tool through an <see cref="IToolExecutor"/> (audit mode: <see cref="RecordedToolExecutor"/>)
/// and, in enforce mode only, retries transient failures of idempotent tools up to <paramref name="maxRetries"/> times with
/// exponential backoff and full jitter (base <paramref name="baseDelay"/>).</summary>
/// <param name="executor">Calls the tool.</param>
/// <param name="maxRetries">Retries after the first attempt. The default is 2.</param>
/// <param name="baseDelay">First backoff delay. The default is 200 ms.</param>
/// <param name="timeProvider">Clock for delays. The default is <see cref="TimeProvider.System"/>.</param>
public sealed class ExecuteStage(IToolExecutor executor, int maxRetries = 2, TimeSpan? baseDelay = null, TimeProvider? timeProvider = null) : IToolCallStage
{
    private readonly TimeSpan _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

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
        var result = await executor.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        var retries = 0;
        while (context.Mode == PipelineMode.Enforce && retries < maxRetries && result.Status == ToolResultStatus.Error
               && context.Tool?.IsIdempotent == true && FailureClassifier.IsTransient(result.Output))
        {
            var ceiling = _baseDelay.TotalMilliseconds * Math.Pow(2, retries);
#pragma warning disable CA5394 // jitter, not security
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), _time, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5394
            retries++;
            result = await executor.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var outcome = new ToolCallOutcome(decision, result, null);
        return retries == 0 || result.IsSuccess ? outcome : outcome with { Failure = FailureClassifier.ToolError(context.Tool, context.Call, result, handoffTeam: context.Agent.Handoff.Team, retriesExhausted: true) with { RetryCount = retries } };
    }
}
