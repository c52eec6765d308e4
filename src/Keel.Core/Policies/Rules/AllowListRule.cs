using System.Text.Json;
using Keel.Provenance;

namespace Keel.Policies.Rules;

/// <summary><c>allow_list</c>: every value of the listed arguments must match one of the <c>allow</c> patterns — an exact value or a glob
/// with <c>*</c> (e.g. <c>*@bluesparrowtech.com</c>), compared after <see cref="ValueNormalizer.NormalizeText"/> (case and surrounding
/// whitespace ignored). Array arguments are checked element by element. A recipient allow list.</summary>
internal sealed class AllowListRule(RuleHeader header, IReadOnlySet<string> arguments, IReadOnlyList<string> allow) : PolicyRule(header)
{
    private readonly string[] _patterns = [.. allow.Select(ValueNormalizer.NormalizeText)];

    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        if (context.Arguments.ValueKind != JsonValueKind.Object)
        {
            return PolicyVerdict.Pass;
        }

        foreach (var name in arguments)
        {
            if (!context.Arguments.TryGetProperty(name, out var value))
            {
                continue;
            }

            foreach (var item in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : Enumerable.Repeat(value, 1))
            {
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                if (!_patterns.Any(p => Matches(ValueNormalizer.NormalizeText(text), p)))
                {
                    return PolicyVerdict.Fail(Header.Reason ?? $"{context.Call.ToolName}: {name} '{text}' is not on the allow list ({string.Join(", ", allow)})");
                }
            }
        }

        return PolicyVerdict.Pass;
    }

    /// <summary>Glob match where <c>*</c> stands for any run of characters.</summary>
    internal static bool Matches(string value, string pattern)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(value, pattern, StringComparison.Ordinal);
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal) || value.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = value.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0 || found + parts[i].Length > value.Length - parts[^1].Length)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}
