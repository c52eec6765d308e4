namespace Keel.Policies.Rules;

/// <summary><c>precondition</c> and <c>parameter_constraint</c>: <c>require</c> must be true. False, or not evaluable (a fact never looked up), fails closed.
/// An optional <c>when</c> guard limits the rule to the calls it is true for; an error in <c>when</c> means the rule does not apply.</summary>
internal sealed class PreconditionRule(RuleHeader header, CelCondition? when, CelCondition require) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        if (when is not null && when.EvaluateBool(context, out _) != true)
        {
            return PolicyVerdict.Pass;
        }

        var ok = require.EvaluateBool(context, out var error);
        if (ok == true)
        {
            return PolicyVerdict.Pass;
        }

        var reason = Header.Reason ?? $"condition not met: {require.Program.Source}";
        return PolicyVerdict.Fail(ok is null ? $"{reason} (could not be verified: {error})" : reason);
    }
}
