using Keel.Policies;
using Keel.Policies.Cel;
using YamlDotNet.RepresentationModel;

namespace Keel.Escalation;

/// <summary>Reads <c>escalation.yaml</c> (rules and topics; docs/escalation.md) with every problem as <c>file:line:column</c>: unknown keys,
/// CEL that does not parse, variables and fields an escalation condition cannot read (with a "did you mean"), duplicate names, bad
/// priorities, and a <c>cite</c> that is not in the policy documents (a warning).</summary>
public static class EscalationLoader
{
    /// <summary>The fields of each escalation variable (<see cref="EscalationActivation"/>); <c>results</c> and <c>message</c> are not
    /// maps of fixed fields.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["sentiment"] = ["compound", "mean", "min", "trend", "negative_turns", "turned_negative", "calm_turns_before_negative", "turns_since_negative"],
        ["stakes"] = ["max_amount", "customer_amount", "tool_amount"],
        ["topic"] = ["name", "confidence", "sensitive"],
        ["agent"] = ["abstentions", "tool_errors", "turns", "successful_writes", "grounding"],
        ["history"] = ["turns", "repeats", "confused", "asked_for_human", "prior_escalations", "minutes_waited"],
    };

    private static readonly string[] RootKeys = ["escalation", "version", "sources", "topics", "rules"];
    private static readonly string[] RuleKeys = ["name", "when", "team", "priority", "reason", "cite", "action"];
    private static readonly string[] TopicKeys = ["name", "section", "phrases", "sensitive"];

    /// <summary>Loads an escalation file.</summary>
    /// <param name="path">Path of <c>escalation.yaml</c>.</param>
    /// <returns>The policy (null on errors) and every diagnostic.</returns>
    public static EscalationLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path)
            ? Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)))
            : new(null, [new PolicyDiagnostic(path, 1, 1, true, "file not found. Point 'escalation:' in agent.yaml at an escalation.yaml file")]);
    }

    /// <summary>Parses escalation YAML.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="file">File name for diagnostics.</param>
    /// <param name="folder">Folder the <c>sources</c> are read from for the <c>cite</c> check; <see langword="null"/> skips it.</param>
    /// <returns>The policy (null on errors) and every diagnostic.</returns>
    public static EscalationLoadResult Parse(string yaml, string file, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new YamlReader(file, yaml);
        var root = reader.ReadRoot();
        if (root is null)
        {
            return new(null, reader.Diagnostics);
        }

        reader.CheckKeys(root, RootKeys);
        var sources = reader.List(root, "sources") ?? [];
        var documents = folder is null ? [] : sources.Select(s => Path.Combine(folder, s)).Where(File.Exists).Select(p => Normalize(File.ReadAllText(p))).ToList();
        var topics = ReadTopics(reader, root);
        var rules = new List<EscalationRule>();
        if (YamlReader.Child(root, "rules") is YamlSequenceNode sequence)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in sequence)
            {
                if (node is not YamlMappingNode mapping)
                {
                    reader.Error(node, "each escalation rule is a mapping with 'name', 'when', 'team' and 'priority'");
                    continue;
                }

                if (ReadRule(reader, mapping, names, documents) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }
        else if (YamlReader.Child(root, "rules") is { } other)
        {
            reader.Error(other, "'rules' must be a list of escalation rules (it may be empty: 'rules: []')");
        }

        var policy = reader.Diagnostics.Any(d => d.IsError) ? null : new EscalationPolicy(rules, new TopicTaxonomy(topics), sources.FirstOrDefault());
        return new(policy, reader.Diagnostics) { RuleCount = rules.Count };
    }

    private static List<Topic> ReadTopics(YamlReader reader, YamlMappingNode root)
    {
        var topics = new List<Topic>();
        if (YamlReader.Child(root, "topics") is not YamlSequenceNode sequence)
        {
            return topics;
        }

        foreach (var node in sequence.OfType<YamlMappingNode>())
        {
            reader.CheckKeys(node, TopicKeys);
            var name = reader.Scalar(node, "name", required: true);
            var phrases = reader.List(node, "phrases");
            if (phrases is not { Count: > 0 })
            {
                reader.Error(node, $"topic '{name}' needs 'phrases': the words of the policy section that name it");
                continue;
            }

            var sensitive = reader.Scalar(node, "sensitive", required: false);
            if (sensitive is not (null or "true" or "false"))
            {
                reader.Error(YamlReader.Child(node, "sensitive")!, $"'sensitive' must be true or false, not '{sensitive}'");
            }

            if (name is not null)
            {
                topics.Add(new Topic(name, phrases, sensitive == "true", reader.Scalar(node, "section", required: false)));
            }
        }

        return topics;
    }

    private static EscalationRule? ReadRule(YamlReader reader, YamlMappingNode node, HashSet<string> names, List<string> documents)
    {
        reader.CheckKeys(node, RuleKeys);
        var name = reader.Scalar(node, "name", required: true);
        var team = reader.Scalar(node, "team", required: true);
        var priority = reader.Scalar(node, "priority", required: true);
        var reason = reader.Scalar(node, "reason", required: false);
        var cite = reader.Scalar(node, "cite", required: false);
        var action = reader.Scalar(node, "action", required: false);
        if (action is not null and not ("pause" or "handoff"))
        {
            reader.Error(YamlReader.Child(node, "action")!, $"'action' must be pause or handoff, not '{action}'");
        }

        if (name is not null && !names.Add(name))
        {
            reader.Error(YamlReader.Child(node, "name")!, $"escalation rule '{name}' is defined twice; names must be unique");
        }

        if (priority is not null and not ("p1" or "p2" or "p3"))
        {
            reader.Error(YamlReader.Child(node, "priority")!, $"'priority' must be p1, p2 or p3, not '{priority}'");
        }

        if (cite is null)
        {
            reader.Warning(node, $"escalation rule '{name}' has no 'cite': quote the policy sentence it rests on");
        }
        else if (documents.Count > 0 && !documents.Exists(d => d.Contains(Normalize(cite.TrimEnd('.', '…').Split("...")[0]), StringComparison.OrdinalIgnoreCase)))
        {
            reader.Warning(YamlReader.Child(node, "cite")!, $"escalation rule '{name}' cites text not found in its sources; quote it exactly");
        }

        var condition = Compile(reader, node);
        return name is null || team is null || priority is null || condition is null
            ? null
            : new EscalationRule(name, condition, team, priority, reason ?? cite ?? name, cite, reader.Location(node))
            {
                Action = action == "pause" ? EscalationAction.Pause : EscalationAction.Handoff,
            };
    }

    private static CelProgram? Compile(YamlReader reader, YamlMappingNode node)
    {
        var text = reader.Scalar(node, "when", required: true);
        if (text is null)
        {
            return null;
        }

        var scalar = (YamlScalarNode)YamlReader.Child(node, "when")!;
        if (!CelProgram.TryCompile(text, out var program, out var error))
        {
            reader.ExpressionError(scalar, error.Line, error.Column, error.Detail);
            return null;
        }

        var ok = true;
        foreach (var reference in CelReferences.Find(text))
        {
            var problem = reference switch
            {
                { Field: null } when !EscalationActivation.VariableNames.Contains(reference.Variable) =>
                    $"unknown variable '{reference.Variable}' (an escalation condition reads {string.Join(", ", EscalationActivation.VariableNames)}){YamlReader.Suggest(reference.Variable, EscalationActivation.VariableNames)}",
                { Field: { } field } when Fields.TryGetValue(reference.Variable, out var known) && !known.Contains(field) =>
                    $"'{reference.Variable}.{field}' is not a field of '{reference.Variable}' (its fields: {string.Join(", ", known)}){YamlReader.Suggest(field, known)}",
                _ => null,
            };
            if (problem is not null)
            {
                reader.ExpressionDiagnostic(scalar, reference.Line, reference.Column, isError: true, problem);
                ok = false;
            }
        }

        return ok ? program : null;
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('’', '\'').Replace("**", string.Empty, StringComparison.Ordinal);
}

/// <summary>The result of loading an escalation file.</summary>
/// <param name="Policy">The rules and topics, or <see langword="null"/> when there were errors.</param>
/// <param name="Diagnostics">Every problem found, with file, line and column.</param>
public sealed record EscalationLoadResult(EscalationPolicy? Policy, IReadOnlyList<PolicyDiagnostic> Diagnostics)
{
    /// <summary>Whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Rules read.</summary>
    public int RuleCount { get; init; }
}
