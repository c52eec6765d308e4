using System.Globalization;

namespace Keel.Policies.Rules;

/// <summary><c>approval_threshold</c>: the call needs approval when the number <c>value</c> is above <c>above</c>, or cannot be computed.</summary>
internal sealed class ApprovalThresholdRule(RuleHeader header, CelCondition value, double above) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var amount = value.EvaluateNumber(context, out var error);
        if (amount is null)
        {
            return PolicyVerdict.Fail($"{Header.Reason ?? "amount could not be computed"} ({error})");
        }

        return amount.Value > above
            ? PolicyVerdict.Fail(Header.Reason ?? string.Create(CultureInfo.InvariantCulture, $"{value.Program.Source} = {amount.Value} is above the approval threshold {above}"))
            : PolicyVerdict.Pass;
    }
}
