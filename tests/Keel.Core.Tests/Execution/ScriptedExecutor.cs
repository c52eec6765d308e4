using Keel.Gateway;
using Keel.Model;

namespace Keel.Core.Tests.Execution;

/// <summary>A tool whose attempts follow a script: attempt n plays step n, and the last step repeats. Counts attempts per tool.</summary>
internal sealed class ScriptedExecutor(params ScriptedExecutor.Step[] steps) : IToolExecutor
{
    private readonly Dictionary<string, int> _attemptsByTool = new(StringComparer.Ordinal);
    private int _attempts;

    public delegate ValueTask<ToolResult> Step(ToolCallContext context, CancellationToken cancellationToken);

    /// <summary>Attempts of every tool.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Answers with success.</summary>
    public static Step Ok { get; } = (context, _) => ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, """{"status": "ok"}"""));

    /// <summary>Never answers; ends only when its token is cancelled (as a well-behaved executor does).</summary>
    public static Step Hang { get; } = async (context, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>Never answers and ignores its token (a badly behaved executor).</summary>
    public static Step HangIgnoringToken { get; } = async (context, _) =>
    {
        await new TaskCompletionSource().Task;
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>Answers with an error result.</summary>
    public static Step Fail(string error) => (context, _) => ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Error, error));

    /// <summary>Answers with an error result whose kind the executor knows.</summary>
    public static Step Fail(ToolErrorKind kind, string error) => (context, _) => ValueTask.FromResult(ToolResult.Failed(context.Call.Id, kind, error));

    /// <summary>Raises an exception, as broken infrastructure does.</summary>
    public static Step Throw(Exception exception) => (_, _) => ValueTask.FromException<ToolResult>(exception);

    /// <summary>Attempts of one tool.</summary>
    public int AttemptsOf(string tool)
    {
        lock (_attemptsByTool)
        {
            return _attemptsByTool.GetValueOrDefault(tool);
        }
    }

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        lock (_attemptsByTool)
        {
            _attemptsByTool[context.Call.ToolName] = _attemptsByTool.GetValueOrDefault(context.Call.ToolName) + 1;
        }

        var attempt = Interlocked.Increment(ref _attempts);
        return steps[Math.Min(attempt, steps.Length) - 1](context, cancellationToken);
    }
}
