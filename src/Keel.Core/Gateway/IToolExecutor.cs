using Keel.Model;

namespace Keel.Gateway;

/// <summary>Calls a tool for the execute stage.</summary>
public interface IToolExecutor
{
    /// <summary>Runs the call.</summary>
    /// <param name="context">The call, already validated and decided.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; a tool error is a result with <see cref="ToolResultStatus.Error"/>, not an exception.</returns>
    ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken);
}

/// <summary>Audit mode's executor: returns the recorded result instead of calling the tool.</summary>
public sealed class RecordedToolExecutor : IToolExecutor
{
    private RecordedToolExecutor()
    {
    }

    /// <summary>The shared instance.</summary>
    public static RecordedToolExecutor Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.RecordedResult ?? ToolResult.NotExecuted(context.Call.Id, "the recording has no result for this call"));
    }
}
