using Keel.Failures;
using Keel.Model;
using Keel.Tools;

namespace Keel.Gateway;

/// <summary>Schema: the tool must be in the agent's catalog and the arguments must be a JSON object valid against the tool's JSON Schema.
/// Unknown tools, malformed JSON, missing, extra or mistyped fields stop the call with a schema failure naming the JSON path.</summary>
public sealed class SchemaStage : IToolCallStage
{
    /// <inheritdoc />
    public string Name => "schema";

    /// <inheritdoc />
    public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!context.Agent.Tools.TryGet(context.Call.ToolName, out var tool))
        {
            var known = string.Join(", ", context.Agent.Tools.Tools.Select(t => t.Name));
            return Stop(context, new SchemaViolation("$", "unknown_tool", $"unknown tool '{context.Call.ToolName}'; this agent's tools are: {known}"));
        }

        context.Tool = tool;
        var violations = tool.Validator.Validate(context.Call);
        return violations.Count == 0 ? next(context, cancellationToken) : Stop(context, violations);
    }

    private ValueTask<ToolCallOutcome> Stop(ToolCallContext context, params IReadOnlyList<SchemaViolation> violations)
    {
        var first = violations[0];
        var reason = violations.Count == 1
            ? $"{context.Call.ToolName}: {first}"
            : $"{context.Call.ToolName}: {string.Join("; ", violations.Take(5))}{(violations.Count > 5 ? $" (+{violations.Count - 5} more)" : string.Empty)}";
        var decision = new Decision(DecisionKind.Deny, Name, "schema." + first.Kind, null, reason);
        return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Schema, context.Call, context.Agent.Handoff.Team)));
    }
}
