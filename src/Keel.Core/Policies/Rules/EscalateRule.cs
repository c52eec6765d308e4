namespace Keel.Policies.Rules;

/// <summary><c>escalate</c>: fails (default on_fail escalate) when <c>when</c> is true; an error in <c>when</c> does not escalate.</summary>
internal sealed class EscalateRule(RuleHeader header, CelCondition when) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context) =>
        when.EvaluateBool(context, out _) == true
            ? PolicyVerdict.Fail(Header.Reason ?? $"escalation condition met: {when.Program.Source}")
            : PolicyVerdict.Pass;
}
