using System.Globalization;
using Keel.Model;
using Keel.Policies.Cel;
using Keel.Policies.Rules;
using Keel.Provenance;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Policies;

/// <summary>Reads <c>policies.yaml</c> into a compiled <see cref="PolicySet"/>, collecting every problem with file:line:column. The format is in <c>docs/policies.md</c>.</summary>
public static class PolicyLoader
{
    private static readonly string[] RuleKeys = ["id", "kind", "tools", "on_fail", "reason", "cite", "when", "require", "value", "above", "max", "per", "type", "with_text", "arguments", "sources", "allow", "kinds", "accept_delegated", "words"];
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
        if (YamlReader.Child(root, "rules") is YamlSequenceNode sequence)
        {
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
        return new(set, reader.Diagnostics);
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

        if (Array.IndexOf(Kinds, kind) < 0)
        {
            reader.Error(YamlReader.Child(node, "kind")!, $"unknown rule kind '{kind}'; use one of: {string.Join(", ", Kinds)}");
            return null;
        }

        var toolList = reader.List(node, "tools");
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
        return kind switch
        {
            "tool_allow" or "tool_deny" => toolList is null
                ? reader.Fail(node, $"rule '{id}' needs 'tools': the list of tool names")
                : new ToolListRule(header, toolList.ToHashSet(StringComparer.Ordinal), kind == "tool_allow"),
            "precondition" or "parameter_constraint" => Precondition(reader, node, header, kind == "parameter_constraint"),
            "approval_threshold" => Threshold(reader, node, header),
            "confirmation_required" => new ConfirmationRequiredRule(header),
            "one_call_at_a_time" => OneCall(reader, node, header),
            "rate_limit" => RateLimit(reader, node, header),
            "escalate" => Compile(reader, node, "when", required: true) is { } when ? new EscalateRule(header, when) : null,
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

    private static PreconditionRule? Precondition(YamlReader reader, YamlMappingNode node, RuleHeader header, bool argsOnly)
    {
        var when = Compile(reader, node, "when", required: false);
        var require = Compile(reader, node, "require", required: true);
        if (require is null)
        {
            return null;
        }

        if (argsOnly)
        {
            foreach (var variable in require.Program.Variables.Concat(when?.Program.Variables ?? Enumerable.Empty<string>()).Where(v => v is not ("args" or "tool")))
            {
                reader.Error(YamlReader.Child(node, "require")!, $"a parameter_constraint may use only 'args' and 'tool', not '{variable}'; make it a precondition");
            }
        }

        return new PreconditionRule(header, when, require);
    }

    private static ApprovalThresholdRule? Threshold(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var value = Compile(reader, node, "value", required: true);
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

    private static PolicyRule? RateLimit(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var maxText = reader.Scalar(node, "max", required: true);
        if (maxText is null || !int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            return maxText is null ? null : reader.Fail(YamlReader.Child(node, "max")!, $"'max' must be a whole number, not '{maxText}'");
        }

        var per = reader.Scalar(node, "per", required: false);
        TimeSpan? window = null;
        if (per is not null && per != "run")
        {
            if (per.Contains('\'', StringComparison.Ordinal) || !CelProgram.TryCompile($"duration('{per}')", out var program, out _)
                || program!.Evaluate(new CelActivation()) is not TimeSpan span || span <= TimeSpan.Zero)
            {
                return reader.Fail(YamlReader.Child(node, "per")!, $"'per' must be 'run' or a duration such as 1h or 30m, not '{per}'");
            }

            window = span;
        }

        return new RateLimitRule(header, max, window);
    }

    private static PolicyRule? UserNamed(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var arguments = reader.List(node, "arguments");
        if (arguments is null || arguments.Count == 0)
        {
            return reader.Fail(node, $"rule '{header.Id}' needs 'arguments': the argument names whose values the user must name");
        }

        var sources = ValueOrigin.User;
        foreach (var source in reader.List(node, "sources") ?? ["user"])
        {
            switch (source)
            {
                case "user": sources |= ValueOrigin.User; break;
                case "system": sources |= ValueOrigin.System; break;
                case "trusted_tool": sources |= ValueOrigin.TrustedTool; break;
                case "delegated": sources |= ValueOrigin.DelegatedTool; break;
                default: return reader.Fail(YamlReader.Child(node, "sources")!, $"unknown source '{source}'; use user, system, trusted_tool or delegated (untrusted output never names a value)");
            }
        }

        return new UserNamedRule(header, arguments.ToHashSet(StringComparer.Ordinal), sources, reader.List(node, "allow"));
    }

    private static readonly string[] ValueKinds = ["iban", "email", "url", "file", "phone", "date", "day", "time", "amount", "id", "text"];

    private static PolicyRule? DataFlow(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var kinds = reader.List(node, "kinds");
        foreach (var kind in kinds ?? [])
        {
            if (Array.IndexOf(ValueKinds, kind) < 0)
            {
                return reader.Fail(YamlReader.Child(node, "kinds")!, $"unknown value kind '{kind}'; use {string.Join(", ", ValueKinds)}");
            }
        }

        var delegatedText = reader.Scalar(node, "accept_delegated", required: false) ?? "true";
        if (delegatedText is not ("true" or "false"))
        {
            return reader.Fail(YamlReader.Child(node, "accept_delegated")!, $"'accept_delegated' must be true or false, not '{delegatedText}'");
        }

        return new DataFlowRule(header, reader.List(node, "arguments")?.ToHashSet(StringComparer.Ordinal), kinds?.ToHashSet(StringComparer.Ordinal), delegatedText == "true");
    }

    private static PolicyRule? AllowList(YamlReader reader, YamlMappingNode node, RuleHeader header)
    {
        var arguments = reader.List(node, "arguments");
        var allow = reader.List(node, "allow");
        if (arguments is null || arguments.Count == 0 || allow is null || allow.Count == 0)
        {
            return reader.Fail(node, $"rule '{header.Id}' needs 'arguments' (the argument names) and 'allow' (the allowed values or *-patterns)");
        }

        return new AllowListRule(header, arguments.ToHashSet(StringComparer.Ordinal), allow);
    }

    private static PolicyRule? Custom(YamlReader reader, YamlMappingNode node, RuleHeader header, PolicyLoadOptions options)
    {
        var type = reader.Scalar(node, "type", required: true);
        if (type is null)
        {
            return null;
        }

        return options.CustomPolicies.TryGetValue(type, out var policy)
            ? new CustomRule(header, policy)
            : reader.Fail(YamlReader.Child(node, "type")!, $"no C# policy named '{type}' is registered; register an IToolPolicy with that Name" +
                (options.CustomPolicies.Count == 0 ? string.Empty : $" (registered: {string.Join(", ", options.CustomPolicies.Keys)})"));
    }

    private static CelCondition? Compile(YamlReader reader, YamlMappingNode node, string key, bool required)
    {
        var text = reader.Scalar(node, key, required);
        if (text is null)
        {
            return null;
        }

        if (CelProgram.TryCompile(text, out var program, out var error))
        {
            return new CelCondition(program!);
        }

        reader.ExpressionError((YamlScalarNode)YamlReader.Child(node, key)!, error!.Line, error.Column, error.Detail);
        return null;
    }

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
