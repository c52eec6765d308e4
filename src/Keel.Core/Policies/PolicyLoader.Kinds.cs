using System.Globalization;
using Keel.Policies.Cel;
using Keel.Policies.Rules;
using Keel.Provenance;
using YamlDotNet.RepresentationModel;

namespace Keel.Policies;

/// <summary>The readers of the rule kinds with their own keys: rate_limit, user_named, data_flow, allow_list, custom.</summary>
public static partial class PolicyLoader
{
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
}
