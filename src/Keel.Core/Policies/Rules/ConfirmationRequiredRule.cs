namespace Keel.Policies.Rules;

/// <summary><c>confirmation_required</c>: since the previous successful write (or the run's start), the agent listed the action and the user then explicitly said yes. See <see cref="ConfirmationDetector"/>.</summary>
internal sealed class ConfirmationRequiredRule(RuleHeader header) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context) =>
        ConfirmationDetector.Find(context.State.Conversation, context.Call.ToolName, context.Arguments) switch
        {
            ConfirmationStatus.Confirmed => PolicyVerdict.Pass,
            ConfirmationStatus.NotListed => PolicyVerdict.Fail(Header.Reason ?? $"{context.Call.ToolName} needs the action details listed to the user and an explicit 'yes'; the user said yes, but no assistant message since the last write listed this action"),
            _ => PolicyVerdict.Fail(Header.Reason ?? $"{context.Call.ToolName} needs an explicit 'yes' from the user after the action details were listed; none was given since the last write"),
        };
}
