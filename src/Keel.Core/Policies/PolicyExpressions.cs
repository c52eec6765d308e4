using Keel.Policies.Cel;
using Keel.Policies.Rules;
using Keel.Tools;
using YamlDotNet.RepresentationModel;

namespace Keel.Policies;

/// <summary>Compiles a rule's CEL expression and checks the names it reads against what is declared, so a typo fails the lint instead of
/// holding or denying every call at run time with a misleading reason. Every variable must be one <see cref="PolicyActivation"/> binds
/// (<see cref="PolicyActivation.VariableNames"/>); with a tool catalog, <c>args.x</c> in a rule that names its tools must be a property of
/// the arguments schema of at least one of them, and <c>facts.x</c> must name a read tool (facts hold read tools' answers: <c>RunState</c>).</summary>
internal static class PolicyExpressions
{
    /// <summary>Compiles <paramref name="node"/>'s <paramref name="key"/>, reporting parse errors and undeclared names with their file positions.</summary>
    /// <param name="reader">Collects the diagnostics.</param>
    /// <param name="node">The rule.</param>
    /// <param name="key">The expression's key, e.g. <c>require</c>.</param>
    /// <param name="required">Whether a missing key is an error.</param>
    /// <param name="tools">The rule's <c>tools</c>, or <see langword="null"/> when it names none (<c>args.x</c> is then not checked).</param>
    /// <param name="catalog">The agent's tools, or <see langword="null"/> (then only variables are checked).</param>
    /// <returns>The condition, or <see langword="null"/> when the key is missing or the expression does not parse.</returns>
    public static CelCondition? Compile(YamlReader reader, YamlMappingNode node, string key, bool required, IReadOnlyList<string>? tools, ToolCatalog? catalog)
    {
        var text = reader.Scalar(node, key, required);
        if (text is null)
        {
            return null;
        }

        var scalar = (YamlScalarNode)YamlReader.Child(node, key)!;
        if (!CelProgram.TryCompile(text, out var program, out var error))
        {
            reader.ExpressionError(scalar, error.Line, error.Column, error.Detail);
            return null;
        }

        foreach (var reference in CelReferences.Find(text))
        {
            if (Check(reference, tools, catalog) is { } problem)
            {
                reader.ExpressionDiagnostic(scalar, reference.Line, reference.Column, isError: true, problem);
            }
        }

        return new CelCondition(program);
    }

    private static string? Check(CelReference reference, IReadOnlyList<string>? tools, ToolCatalog? catalog)
    {
        var variables = PolicyActivation.VariableNames;
        return reference switch
        {
            { Field: null } when !variables.Contains(reference.Variable) =>
                $"unknown variable '{reference.Variable}' (a policy expression reads {string.Join(", ", variables)}){YamlReader.Suggest(reference.Variable, variables)}",
            { Variable: "args", Field: { } field } => CheckArgument(field, tools, catalog),
            { Variable: "facts", Field: { } tool } when catalog is not null && !catalog.Tools.Any(t => t.Type == ToolType.Read && t.Name == tool) =>
                $"'facts.{tool}' is never set: '{tool}' is not a read tool of tools.json (facts hold the answers of read tools)"
                    + YamlReader.Suggest(tool, [.. catalog.Tools.Where(t => t.Type == ToolType.Read).Select(t => t.Name)]),
            _ => null,
        };
    }

    /// <summary>An argument no listed tool declares. Not checked when the rule names no tools (or <c>*</c>), or when a listed tool is not
    /// in the catalog or its schema has no <c>properties</c>: nothing is then known about all of its arguments.</summary>
    private static string? CheckArgument(string field, IReadOnlyList<string>? tools, ToolCatalog? catalog)
    {
        if (catalog is null || tools is not { Count: > 0 } || tools.Contains("*"))
        {
            return null;
        }

        var schemas = tools.Distinct(StringComparer.Ordinal).Select(t => catalog.TryGet(t, out var tool) ? tool : null).ToList();
        if (schemas.Any(t => t is null || !t.Parameters.TryGetProperty("properties", out _)) || schemas.Any(t => t!.ParameterNames.Contains(field)))
        {
            return null;
        }

        var declared = schemas.SelectMany(t => t!.ParameterNames).Distinct(StringComparer.Ordinal).ToList();
        var whose = schemas.Count == 1 ? $"{schemas[0]!.Name}'s arguments" : $"the arguments of any of {string.Join(", ", schemas.Select(t => t!.Name))}";
        return $"'{field}' is not a property of {whose}" + (YamlReader.Suggest(field, declared) is { Length: > 0 } guess ? guess : $"; its properties: {string.Join(", ", declared)}");
    }
}
