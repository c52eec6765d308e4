using Keel.Provenance;

namespace Keel.Policies.Rules;

/// <summary><c>user_named</c>: every value of the listed arguments (a recipient, an account, an address) must have been named by an accepted
/// source before the call — by default the user's own messages; <c>sources</c> may add <c>system</c> and <c>trusted_tool</c>. "No new
/// recipient without the user naming it." A value is named when the whole string appeared there, or every identifying value in it did
/// (see <see cref="ArgumentTrace.IsNamedBy"/>). Values matching an <c>allow</c> pattern (exact or <c>*</c>-glob, e.g. <c>*@example.com</c>) count as
/// named.</summary>
internal sealed class UserNamedRule(RuleHeader header, IReadOnlySet<string> arguments, ValueOrigin sources, IReadOnlyList<string>? allow) : PolicyRule(header)
{
    private readonly string[] _allow = [.. (allow ?? []).Select(ValueNormalizer.NormalizeText)];

    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        foreach (var trace in context.ArgumentTraces)
        {
            if (arguments.Contains(trace.Argument) && !trace.IsNamedBy(sources) && !Allowed(trace))
            {
                var seen = trace.Atoms.Select(a => a.Source).FirstOrDefault(s => s is not null);
                var where = seen is { } s ? $"first seen in {s}" : "seen nowhere before the call";
                return PolicyVerdict.Fail(Header.Reason is { } reason
                    ? $"{reason} ({trace.Path} '{trace.Text}': {where})"
                    : $"{context.Call.ToolName}: {trace.Path} '{trace.Text}' was not named by {Names(sources)} ({where})");
            }
        }

        return PolicyVerdict.Pass;
    }

    private bool Allowed(ArgumentTrace trace)
    {
        if (_allow.Length == 0)
        {
            return false;
        }

        var value = ValueNormalizer.NormalizeText(trace.Text);
        return _allow.Any(p => AllowListRule.Matches(value, p));
    }

    internal static string Names(ValueOrigin sources) => string.Join(" or ", new[]
    {
        (ValueOrigin.User, "the user"), (ValueOrigin.System, "the system prompt"), (ValueOrigin.TrustedTool, "a trusted tool"), (ValueOrigin.DelegatedTool, "output the user pointed to"),
    }.Where(p => sources.HasFlag(p.Item1)).Select(p => p.Item2));
}
