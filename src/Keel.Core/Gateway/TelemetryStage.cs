using Keel.Diagnostics;

namespace Keel.Gateway;

/// <summary>Telemetry: the outermost stage. Wraps the whole call in an <c>execute_tool {tool}</c> span (OpenTelemetry GenAI semantic
/// conventions, kind Internal) with the decision, rule, stage and failure class Keel reached, and records the tool-call instruments of
/// <see cref="KeelDiagnostics"/>. With no listener it only checks and calls the next stage. Content (arguments, results) stays off the spans
/// unless <see cref="TelemetryOptions.CaptureContent"/> is set. Thread-safe; telemetry never throws into the call, and a stage that throws
/// still ends the span (status Error, <c>error.type</c> = the exception's type) before the exception goes on.</summary>
/// <param name="options">What spans carry. The default is <see cref="TelemetryOptions.Default"/> (no content).</param>
/// <param name="timeProvider">Clock of the <c>keel.tool_call.duration</c> measurement. The default is <see cref="TimeProvider.System"/>.</param>
public sealed class TelemetryStage(TelemetryOptions? options = null, TimeProvider? timeProvider = null) : IToolCallStage
{
    private readonly bool _captureContent = (options ?? TelemetryOptions.Default).CaptureContent;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "telemetry";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return KeelDiagnostics.ActivitySource.HasListeners() || ToolCallTelemetry.MetricsEnabled
            ? ObserveAsync(context, next, cancellationToken)
            : next(context, cancellationToken);
    }

    private async ValueTask<ToolCallOutcome> ObserveAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var activity = ToolCallTelemetry.Start(context, _captureContent);
        ToolCallOutcome outcome;
        try
        {
            outcome = await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ToolCallTelemetry.Fail(activity, context, ex, _time.GetElapsedTime(started));
            throw;
        }

        ToolCallTelemetry.Complete(activity, context, outcome, _time.GetElapsedTime(started), _captureContent);
        return outcome;
    }
}
