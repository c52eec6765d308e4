namespace Keel.Gateway;

/// <summary>A composed chain of <see cref="IToolCallStage"/>s. Thread-safe; one pipeline serves every run.</summary>
public sealed class ToolCallPipeline
{
    private readonly ToolCallHandler _entry;

    internal ToolCallPipeline(IReadOnlyList<IToolCallStage> stages)
    {
        Stages = stages;
        ToolCallHandler next = static (context, _) => throw new InvalidOperationException(
            $"the pipeline ended without an outcome for call '{context.Call.Id}': add an execute stage");
        for (var i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var inner = next;
            next = (context, cancellationToken) => stage.InvokeAsync(context, inner, cancellationToken);
        }

        _entry = next;
    }

    /// <summary>The stages, outermost first.</summary>
    public IReadOnlyList<IToolCallStage> Stages { get; }

    /// <summary>Runs a proposed call through every stage.</summary>
    /// <param name="context">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome; expected failures (denied, held, budget, schema) are values, not exceptions.</returns>
    public ValueTask<ToolCallOutcome> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _entry(context, cancellationToken);
    }
}
