using System.Text.Json;
using Keel.Gateway;
using Keel.Model;
using Keel.Provenance;
using Keel.Tools;

namespace Keel.Policies;

/// <summary>A proposed tool call in the context of its run, as policies see it.</summary>
/// <param name="Call">The call.</param>
/// <param name="Tool">The tool's definition, or <see langword="null"/> when the catalog has no such tool.</param>
/// <param name="Arguments">The parsed arguments (a JSON object).</param>
/// <param name="State">The run so far.</param>
/// <param name="Now">The run's clock (recorded time in replay).</param>
public sealed record PolicyContext(ToolCall Call, ToolDefinition? Tool, JsonElement Arguments, RunState State, DateTimeOffset Now)
{
    private PolicyActivation? _activation;
    private IReadOnlyList<ArgumentTrace>? _traces;

    /// <summary>The CEL variables of this call, bound once and shared by every rule evaluated on it.</summary>
    internal PolicyActivation Activation => _activation ??= new PolicyActivation(this);

    /// <summary>The provenance of every argument leaf, traced once and shared by every data-flow rule evaluated on this call.</summary>
    public IReadOnlyList<ArgumentTrace> ArgumentTraces => _traces ??= State.Provenance.TraceArguments(Arguments);
}
