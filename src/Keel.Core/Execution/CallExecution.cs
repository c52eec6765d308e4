using System.Globalization;
using System.Net.Sockets;
using Keel.Failures;
using Keel.Gateway;
using Keel.Model;
using Keel.Tools;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Keel.Execution;

/// <summary>One call going through its tool's resilience pipeline: runs each attempt (bounded by the attempt's token even when
/// an executor ignores it), appends an <see cref="ExecutionEvent"/> per attempt and per scheduled retry to the run, and turns
/// the pipeline's final outcome into a <see cref="ToolCallOutcome"/>.</summary>
/// <remarks>Not thread-safe: the attempts of one call run one after another, and one run is driven by one pipeline at a time.</remarks>
internal sealed class CallExecution
{
    /// <summary>The attempt callback handed to Polly.</summary>
    public static readonly Func<ResilienceContext, CallExecution, ValueTask<Outcome<ToolResult>>> Attempt =
        static (resilience, call) => call.AttemptAsync(resilience.CancellationToken);

    private const int DetailLength = 200;

    private static readonly ResiliencePropertyKey<CallExecution> s_key = new("keel.execution.call");

    private readonly ToolCallContext _context;
    private readonly ToolDefinition? _tool;
    private readonly IToolExecutor _executor;
    private readonly ExecutionOptions _settings;
    private readonly TimeProvider _time;
    private readonly CancellationToken _callerToken;
    private readonly long _started;

    // tool: the one the pipeline was chosen for, so the outcome's wording agrees with whether it was retried (null: no catalog knows it).
    public CallExecution(ToolCallContext context, ToolDefinition? tool, IToolExecutor executor, ExecutionOptions settings, TimeProvider time, CancellationToken callerToken)
    {
        _context = context;
        _tool = tool;
        _executor = executor;
        _settings = settings;
        _time = time;
        _callerToken = callerToken;
        _started = time.GetTimestamp();
    }

    /// <summary>Attempts started (calls of the executor).</summary>
    public int Attempts { get; private set; }

    /// <summary>Retries scheduled.</summary>
    public int Retries { get; private set; }

    /// <summary>The call whose pipeline <paramref name="resilience"/> belongs to, if any.</summary>
    public static CallExecution? From(ResilienceContext resilience) => resilience.Properties.TryGetValue(s_key, out var call) ? call : null;

    /// <summary>A short description of an exception without its message (which may carry secrets: URLs, keys, data).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => $"HttpRequestException (HTTP {(int)status})",
        SocketException socket => $"SocketException ({socket.SocketErrorCode})",
        _ => exception.GetType().Name,
    };

    /// <summary>Lets the pipeline's callbacks find this call.</summary>
    public void AttachTo(ResilienceContext resilience) => resilience.Properties.Set(s_key, this);

    /// <summary>Records a retry Polly scheduled after attempt <paramref name="attemptNumber"/> (0-based) failed transiently.</summary>
    public void OnRetryScheduled(int attemptNumber, TimeSpan delay, Outcome<ToolResult> failed)
    {
        Retries++;
        var why = failed.Exception switch
        {
            TimeoutRejectedException => "timed out",
            { } exception => "raised " + Describe(exception),
            null => "failed transiently",
        };
        Append(attemptNumber + 2, ExecutionOutcome.RetryScheduled, TimeSpan.Zero, delay, $"attempt {attemptNumber + 1} {why}; retrying an idempotent tool");
    }

    /// <summary>Turns the pipeline's final outcome into the stage's outcome; a caller's cancellation is thrown (but an answer the
    /// tool already gave is returned, so a write that acted is recorded).</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled the call before the tool answered.</exception>
    public ToolCallOutcome ToOutcome(Outcome<ToolResult> outcome, Decision decision)
    {
        if (outcome.Exception is OperationCanceledException && _callerToken.IsCancellationRequested)
        {
            _callerToken.ThrowIfCancellationRequested();
        }

        var call = _context.Call;
        if (outcome.Exception is null && outcome.Result is { } result)
        {
            return result.IsSuccess || Retries == 0
                ? new ToolCallOutcome(decision, result, null)
                : new ToolCallOutcome(decision, result, FailureClassifier.ToolError(_tool, call, result, handoffTeam: _context.Agent.Handoff.Team, retriesExhausted: true) with { RetryCount = Retries });
        }

        Failure failure;
        switch (outcome.Exception)
        {
            case BrokenCircuitException broken:
                var until = _time.GetUtcNow() + (broken.RetryAfter ?? _settings.CircuitBreakDuration);
                failure = FailureClassifier.CircuitOpen(call, until, Retries);
                Append(Attempts + 1, ExecutionOutcome.CircuitOpen, TimeSpan.Zero, null, failure.Message);
                return Refused(decision, failure, $"Error: {failure.Message}. Try again after that time.");
            case TimeoutRejectedException:
                failure = FailureClassifier.Unanswered(_tool, call, $"timed out after {Ms(_settings.AttemptTimeout)} ms", Retries, _context.Agent.Handoff.Team);
                break;
            default:
                failure = FailureClassifier.Unanswered(_tool, call, $"could not be reached: its executor raised {Describe(outcome.Exception!)}", Retries, _context.Agent.Handoff.Team);
                break;
        }

        var text = _tool?.IsIdempotent == true
            ? $"Error: {failure.Message}."
            : $"Error: {failure.Message}. Do not repeat the call.";
        return Refused(decision, failure, text);
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= DetailLength ? text : text[..DetailLength] + "…";

    private static async Task<ToolResult> BoundedAsync(ValueTask<ToolResult> pending, CancellationToken attemptToken)
    {
        var task = pending.AsTask();
        try
        {
            return await task.WaitAsync(attemptToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!task.IsCompleted)
        {
            // The executor ignored its token: the call is abandoned, and its late failure must not surface as unobserved.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private ToolCallOutcome Refused(Decision decision, Failure failure, string text) =>
        new(decision, ToolResult.Failed(_context.Call.Id, ToolErrorKind.Transient, text, _time.GetElapsedTime(_started).TotalMilliseconds), failure);

    private async ValueTask<Outcome<ToolResult>> AttemptAsync(CancellationToken attemptToken)
    {
        var attempt = ++Attempts;
        var start = _time.GetTimestamp();
        try
        {
            var pending = _executor.ExecuteAsync(_context, attemptToken);
            var result = pending.IsCompleted ? await pending.ConfigureAwait(false) : await BoundedAsync(pending, attemptToken).ConfigureAwait(false);
            Append(attempt, result.IsSuccess ? ExecutionOutcome.Success : ExecutionOutcome.Error, _time.GetElapsedTime(start), null, result.IsSuccess ? null : Shorten(result.Output));
            return Outcome.FromResult(result);
        }
        catch (OperationCanceledException ex) when (_callerToken.IsCancellationRequested)
        {
            return Outcome.FromException<ToolResult>(ex);
        }
        catch (OperationCanceledException ex) when (attemptToken.IsCancellationRequested)
        {
            Append(attempt, ExecutionOutcome.Timeout, _time.GetElapsedTime(start), null, $"no answer within {Ms(_settings.AttemptTimeout)} ms");
            return Outcome.FromException<ToolResult>(ex);
        }
#pragma warning disable CA1031 // an executor's exception is broken infrastructure: it becomes an error result, never a crash of the gateway
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Append(attempt, ExecutionOutcome.Error, _time.GetElapsedTime(start), null, "the executor raised " + Describe(ex));
            return Outcome.FromException<ToolResult>(ex);
        }
    }

    private void Append(int attempt, ExecutionOutcome outcome, TimeSpan duration, TimeSpan? delay, string? detail)
    {
        var state = _context.State;
        state.Observe(state.Run.Append(new ExecutionEvent(_context.Call.Id, _context.Call.ToolName, attempt, outcome, duration.TotalMilliseconds, delay?.TotalMilliseconds, detail)
        {
            Timestamp = _context.Now,
        }));
    }
}
