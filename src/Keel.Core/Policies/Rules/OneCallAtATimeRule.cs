namespace Keel.Policies.Rules;

/// <summary><c>one_call_at_a_time</c>: an assistant turn may make one tool call. Every call after the first of a parallel turn fails.
/// With <c>with_text: fail</c>, a call made in a turn that also speaks to the user fails too; by default (<c>with_text: allow</c>)
/// that is not held against the call, since the action itself is not what the sentence forbids.</summary>
internal sealed class OneCallAtATimeRule(RuleHeader header, bool failWithText) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var call = context.Call;
        if (call.ParallelIndex > 0)
        {
            return PolicyVerdict.Fail(Header.Reason ?? $"call {call.ParallelIndex + 1} of {call.ParallelCount} proposed in one turn; make one tool call at a time");
        }

        return failWithText && call.TurnHasText
            ? PolicyVerdict.Fail(Header.Reason ?? "a tool call and a message to the user in the same turn; do one or the other")
            : PolicyVerdict.Pass;
    }
}
