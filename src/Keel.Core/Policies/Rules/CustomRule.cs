namespace Keel.Policies.Rules;

/// <summary><c>custom</c>: delegates to a registered <see cref="IToolPolicy"/>.</summary>
internal sealed class CustomRule(RuleHeader header, IToolPolicy policy) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var verdict = policy.Evaluate(context);
        return verdict.Passed || Header.Reason is null ? verdict : PolicyVerdict.Fail(Header.Reason + (verdict.Reason is null ? string.Empty : $" ({verdict.Reason})"));
    }
}
