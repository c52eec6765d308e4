using Keel.Model;
using Keel.Tools;

namespace Keel.Monitors;

/// <summary>
/// Malformed calls: for each call the schema stage denied, one finding per kind of violation, typed by
/// <see cref="CallFindingTypes"/> (<c>wrong_function</c>, <c>missing_argument</c>, <c>extra_argument</c>, <c>wrong_type</c>,
/// <c>unparseable_arguments</c>, <c>value_not_allowed</c>, <c>invalid_value</c>), naming the JSONPaths. The schema decision
/// carries only its first violation; the monitor validates the denied call again against the run's catalog to report every
/// kind. Calls the schema stage let through are not validated twice. Severity high: the call could not have run as sent.
/// </summary>
public sealed class MalformedCallMonitor : IRunMonitor
{
    /// <summary>Violations quoted per finding; the rest are counted. Value: 3.</summary>
    public const int MaxQuoted = 3;

    /// <inheritdoc />
    public string Name => "malformed_call";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new Session(this, agent.Tools);
    }

    /// <summary>Every schema violation of a call against a catalog, the unknown function included.</summary>
    /// <param name="call">The call.</param>
    /// <param name="catalog">The tools offered in the run.</param>
    /// <returns>The violations; empty when the call is well-formed.</returns>
    public static IReadOnlyList<SchemaViolation> Violations(ToolCall call, ToolCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.TryGet(call.ToolName, out var tool)
            ? tool.Validator.Validate(call)
            : [new SchemaViolation("$", "unknown_tool", $"'{call.ToolName}' is not among the offered functions ({string.Join(", ", catalog.Tools.Select(t => t.Name))})")];
    }

    private sealed class Session(MalformedCallMonitor owner, ToolCatalog catalog) : IMonitorSession
    {
        private readonly Dictionary<string, (ToolCall Call, long Sequence)> _proposed = new(StringComparer.Ordinal);

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            switch (runEvent)
            {
                case ToolCallEvent proposed:
                    _proposed[proposed.Call.Id] = (proposed.Call, proposed.Sequence);
                    break;
                case DecisionEvent decided when _proposed.Remove(decided.CallId, out var entry) && decided.Decision.Stage == "schema":
                    foreach (var group in Violations(entry.Call, catalog).GroupBy(v => CallFindingTypes.FromSchemaKind(v.Kind)))
                    {
                        var quoted = string.Join("; ", group.Take(MaxQuoted));
                        var more = group.Count() > MaxQuoted ? $" (+{group.Count() - MaxQuoted} more)" : string.Empty;
                        findings.Add(new Finding(group.Key, FindingSeverity.High, $"{entry.Call.ToolName}: {quoted}{more}", [entry.Sequence, decided.Sequence], owner.Name));
                    }

                    break;
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }
    }
}
