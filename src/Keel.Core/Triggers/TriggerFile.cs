using Keel.Policies;
using YamlDotNet.RepresentationModel;

namespace Keel.Triggers;

/// <summary>Reads a trigger file (YAML; docs/versions.md, "Triggers") with every problem as <c>file:line:column</c>:
/// <code>
/// triggers:
///   - id: regression
///     when: clear_regression          # | high_severity_failures_up | approval_boundary_drift | rescue_work_up
///     action: rollback                # | alert | pause_rollout
/// </code></summary>
public static class TriggerFile
{
    private static readonly string[] RootKeys = ["triggers"];
    private static readonly string[] RuleKeys = ["id", "when", "action"];

    /// <summary>Loads a trigger file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rules (<see langword="null"/> on an error) and every diagnostic.</returns>
    public static (IReadOnlyList<TriggerRule>? Rules, IReadOnlyList<PolicyDiagnostic> Diagnostics) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : (null, [new PolicyDiagnostic(path, 1, 1, true, "file not found; give a trigger file (YAML) to --triggers")]);
    }

    /// <summary>Parses trigger YAML.</summary>
    /// <param name="yaml">The text.</param>
    /// <param name="file">The file name for diagnostics.</param>
    /// <returns>The rules (<see langword="null"/> on an error) and every diagnostic.</returns>
    public static (IReadOnlyList<TriggerRule>? Rules, IReadOnlyList<PolicyDiagnostic> Diagnostics) Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new YamlReader(file, yaml);
        if (reader.ReadRoot() is not { } root)
        {
            return (null, reader.Diagnostics);
        }

        reader.CheckKeys(root, RootKeys);
        var rules = new List<TriggerRule>();
        if (YamlReader.Child(root, "triggers") is YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in sequence)
            {
                if (node is not YamlMappingNode mapping)
                {
                    reader.Error(node, "each trigger is a mapping with 'id', 'when' and 'action'");
                }
                else if (Read(reader, mapping, ids) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }
        else
        {
            reader.Error(YamlReader.Child(root, "triggers") ?? root, "'triggers' must be a non-empty list of rules with 'id', 'when' and 'action'");
        }

        return (reader.Diagnostics.Any(d => d.IsError) ? null : rules, reader.Diagnostics);
    }

    private static TriggerRule? Read(YamlReader reader, YamlMappingNode mapping, HashSet<string> ids)
    {
        reader.CheckKeys(mapping, RuleKeys);
        var id = reader.Scalar(mapping, "id", required: true);
        var when = reader.Scalar(mapping, "when", required: true);
        var action = reader.Scalar(mapping, "action", required: true);
        if (id is { Length: > 0 } && !ids.Add(id))
        {
            reader.Error(YamlReader.Child(mapping, "id")!, $"trigger id '{id}' is used twice; each trigger needs its own id (it names the actor trigger:<id> in the version history)");
        }

        var condition = Enum.GetValues<TriggerCondition>().Cast<TriggerCondition?>().FirstOrDefault(c => TriggerRule.Name(c!.Value) == when);
        if (when is not null && condition is null)
        {
            var known = Enum.GetValues<TriggerCondition>().Select(TriggerRule.Name).ToList();
            reader.Error(YamlReader.Child(mapping, "when")!, $"unknown condition '{when}'{YamlReader.Suggest(when, known)}; known: {string.Join(", ", known)}");
        }

        var act = Enum.GetValues<TriggerAction>().Cast<TriggerAction?>().FirstOrDefault(a => TriggerRule.Name(a!.Value) == action);
        if (action is not null && act is null)
        {
            reader.Error(YamlReader.Child(mapping, "action")!, $"unknown action '{action}'{YamlReader.Suggest(action, ["alert", "pause_rollout", "rollback"])}; use alert, pause_rollout or rollback");
        }

        return id is { Length: > 0 } && condition is { } c && act is { } a ? new TriggerRule(id, c, a) : null;
    }
}
