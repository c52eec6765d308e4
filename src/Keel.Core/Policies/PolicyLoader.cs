using System.Globalization;
using Keel.Model;
using Keel.Policies.Cel;
using Keel.Policies.Rules;
using Keel.Provenance;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Policies;

/// <summary>Reads <c>policies.yaml</c> into a compiled <see cref="PolicySet"/>, collecting every problem with file:line:column. The format is in <c>docs/policies.md</c>.</summary>
public static partial class PolicyLoader
{
    private static readonly string[] RuleKeys = ["id", "kind", "tools", "on_fail", "reason", "cite", "when", "require", "value", "above", "max", "per", "type", "with_text", "arguments", "sources", "allow", "kinds", "accept_delegated", "words"];
    private static readonly string[] ExpressionKeys = ["when", "require", "value"];
    private static readonly string[] Kinds = ["tool_allow", "tool_deny", "parameter_constraint", "precondition", "approval_threshold", "confirmation_required", "one_call_at_a_time", "rate_limit", "escalate", "custom", "data_flow", "user_named", "allow_list", "user_intent"];

    /// <summary>Loads a policy file.</summary>
    /// <param name="path">Path of <c>policies.yaml</c>.</param>
    /// <param name="options">Custom policies and lint inputs; <see langword="null"/> for defaults.</param>
    /// <returns>The set (null on errors) and every diagnostic.</returns>
    public static PolicyLoadResult Load(string path, PolicyLoadOptions? options = null)
    {
        if (!File.Exists(path))
        {
            return new(null, [new PolicyDiagnostic(path, 1, 1, true, "file not found. Point 'policies:' in agent.yaml at a policies.yaml file")]);
        }

        return Parse(File.ReadAllText(path), path, options);
    }

    /// <summary>Parses policy YAML text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="file">File name for diagnostics.</param>
    /// <param name="options">Custom policies and lint inputs.</param>
    /// <returns>The set (null on errors) and every diagnostic.</returns>
    public static PolicyLoadResult Parse(string yaml, string file, PolicyLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options ??= new PolicyLoadOptions();
        var reader = new YamlReader(file, yaml);
        var root = reader.ReadRoot();
        if (root is null)
        {
            return new(null, reader.Diagnostics);
        }

        reader.CheckKeys(root, ["policy", "version", "source", "rules"]);
        var id = reader.Scalar(root, "policy", required: true) ?? "unnamed";
        var version = reader.Scalar(root, "version", required: true) ?? "0";
        var source = reader.Scalar(root, "source", required: false);
        var document = options.SourceDocument
            ?? (source is not null && options.SourceFolder is { } folder && File.Exists(Path.Combine(folder, source)) ? File.ReadAllText(Path.Combine(folder, source)) : null);
        var rules = new List<PolicyRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        if (YamlReader.Child(root, "rules") is YamlSequenceNode sequence)
        {
            count = sequence.Children.Count;
            foreach (var node in sequence)
            {
                if (node is not YamlMappingNode mapping)
                {
                    reader.Error(node, "each rule is a mapping with at least 'id' and 'kind'");
                    continue;
                }

                var rule = ReadRule(reader, mapping, options, document, ids);
                if (rule is not null)
                {
                    rules.Add(rule);
                }
            }
        }
        else
        {
            reader.Error(root, "missing 'rules': add a list of rules (it may be empty: 'rules: []')");
        }

        var set = reader.Diagnostics.Any(d => d.IsError) ? null : new PolicySet(id, version, source, rules);
        return new(set, reader.Diagnostics) { RuleCount = count };
    }

    private static PolicyRule? ReadRule(YamlReader reader, YamlMappingNode node, PolicyLoadOptions options, string? document, HashSet<string> ids)
    {
        reader.CheckKeys(node, RuleKeys);
        var id = reader.Scalar(node, "id", required: true);
        var kind = reader.Scalar(node, "kind", required: true);
        if (id is null || kind is null)
        {
            return null;
        }

        if (!ids.Add(id))
        {
            reader.Error(YamlReader.Child(node, "id")!, $"rule id '{id}' is used twice; rule ids must be unique");
        }

        var toolList = reader.List(node, "tools");
        if (Array.IndexOf(Kinds, kind) < 0)
        {
            reader.Error(YamlReader.Child(node, "kind")!, $"unknown rule kind '{kind}'; use one of: {string.Join(", ", Kinds)}");

            // Its expressions are still checked, so fixing the kind does not uncover a second round of errors.
            foreach (var key in ExpressionKeys.Where(k => YamlReader.Child(node, k) is not null))
            {
                PolicyExpressions.Compile(reader, node, key, required: false, toolList, options.Catalog);
            }

            return null;
        }

        if (toolList is not null && options.KnownTools is { } known)
        {
            foreach (var tool in toolList.Where(t => t != "*" && !known.Contains(t)))
            {
                reader.Warning(YamlReader.Child(node, "tools")!, $"tool '{tool}' is not in the agent's tools.json; the rule never applies to it");
            }
        }

        var cite = reader.Scalar(node, "cite", required: false);
        if (cite is null)
        {
            reader.Warning(node, $"rule '{id}' has no 'cite': quote the policy sentence it enforces");
        }
        else if (document is not null && !Normalize(document).Contains(Normalize(cite.TrimEnd('.', '…').Split("...")[0]), StringComparison.OrdinalIgnoreCase))
        {
            reader.Warning(YamlReader.Child(node, "cite")!, $"rule '{id}' cites text not found in the policy document; quote it exactly");
        }

        var onFailText = reader.Scalar(node, "on_fail", required: false);
        var warn = onFailText == "warn";
        var onFail = onFailText is null || warn ? DefaultOnFail(kind) : ParseDecision(reader, node, onFailText);
        var tools = toolList is null || toolList.Contains("*") || kind is "tool_allow" or "tool_deny" or "one_call_at_a_time" ? null : (IReadOnlySet<string>)toolList.ToHashSet(StringComparer.Ordinal);
        var header = new RuleHeader(id, kind, tools, onFail, reader.Scalar(node, "reason", required: false), cite, reader.Location(node), warn);
        var scope = new ExpressionScope(toolList, options.Catalog);
        return kind switch
        {
            "tool_allow" or "tool_deny" => toolList is null
                ? reader.Fail(node, $"rule '{id}' needs 'tools': the list of tool names")
                : new ToolListRule(header, toolList.ToHashSet(StringComparer.Ordinal), kind == "tool_allow"),
            "precondition" or "parameter_constraint" => Precondition(reader, node, header, kind == "parameter_constraint", scope),
            "approval_threshold" => Threshold(reader, node, header, scope),
            "confirmation_required" => new ConfirmationRequiredRule(header),
            "one_call_at_a_time" => OneCall(reader, node, header),
            "rate_limit" => RateLimit(reader, node, header),
            "escalate" => Compile(reader, node, "when", required: true, scope) is { } when ? new EscalateRule(header, when) : null,
            "custom" => Custom(reader, node, header, options),
            "data_flow" => DataFlow(reader, node, header),
            "user_intent" => reader.List(node, "words") is { Count: > 0 } words
                ? new UserIntentRule(header, words)
                : reader.Fail(node, $"rule '{id}' needs 'words': the words a user message must contain to ask for this action"),
            "user_named" => UserNamed(reader, node, header),
            "allow_list" => AllowList(reader, node, header),
            _ => null,
        };
    }

    private static PreconditionRule? Precondition(YamlReader reader, YamlMappingNode node, RuleHeader header, bool argsOnly, ExpressionScope scope)
    {
        var when = Compile(reader, node, "when", required: false, scope);
        var require = Compile(reader, node, "require", required: true, scope);
        if (require is null)
        {
            return null;
        }

        if (argsOnly)
        {
            foreach (var variable in require.Program.Variables.Concat(when?.Program.Variables ?? Enumerable.Empty<string>()).Where(v => v is not ("args" or "tool") && PolicyActivation.VariableNames.Contains(v)))
            {
                reader.Error(YamlReader.Child(node, "require")!, $"a parameter_constraint may use only 'args' and 'tool', not '{variable}'; make it a precondition");
            }
        }

        return new PreconditionRule(header, when, require);
    }

    private static ApprovalThresholdRule? Threshold(YamlReader reader, YamlMappingNode node, RuleHeader header, ExpressionScope scope)
    {
        var value = Compile(reader, node, "value", required: true, scope);
        var aboveText = reader.Scalar(node, "above", required: true);
        if (aboveText is not null && !double.TryParse(aboveText, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            reader.Error(YamlReader.Child(node, "above")!, $"'above' must be a number, not '{aboveText}'");
            return null;
        }

        return value is null || aboveText is null ? null : new ApprovalThresholdRule(header, value, double.Parse(aboveText, CultureInfo.InvariantCulture));
    }

    private static OneCallAtATimeRule? OneCall(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var withText = reader.Scalar(node, "with_text", required: false) ?? "allow";
        if (withText is not ("allow" or "fail"))
        {
            reader.Error(YamlReader.Child(node, "with_text")!, $"'with_text' must be 'allow' or 'fail', not '{withText}'");
            return null;
        }

        return new OneCallAtATimeRule(header, withText == "fail");
    }

    private static CelCondition? Compile(YamlReader reader, YamlMappingNode node, string key, bool required, ExpressionScope scope) =>
        PolicyExpressions.Compile(reader, node, key, required, scope.Tools, scope.Catalog);

    /// <summary>What a rule's expressions are checked against: its <c>tools</c> list and the agent's catalog.</summary>
    private sealed record ExpressionScope(IReadOnlyList<string>? Tools, Tools.ToolCatalog? Catalog);

    private static DecisionKind ParseDecision(YamlReader reader, YamlMappingNode node, string text)
    {
        switch (text)
        {
            case "deny": return DecisionKind.Deny;
            case "require_approval": return DecisionKind.RequireApproval;
            case "escalate": return DecisionKind.Escalate;
            case "require_plan": return DecisionKind.RequirePlan;
            default:
                reader.Error(YamlReader.Child(node, "on_fail")!, $"unknown on_fail '{text}'; use deny, require_approval, escalate, require_plan or warn");
                return DecisionKind.Deny;
        }
    }

    private static DecisionKind DefaultOnFail(string kind) => kind switch
    {
        "precondition" or "confirmation_required" or "approval_threshold" or "data_flow" or "user_named" or "user_intent" => DecisionKind.RequireApproval,
        "escalate" => DecisionKind.Escalate,
        _ => DecisionKind.Deny,
    };

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('’', '\'');
}
