namespace Keel.Policies.Rules;

/// <summary><c>one_call_at_a_time</c>: an assistant turn may make one tool call and no message to the user with it. Every call after the first of a parallel turn fails, and so does a call made while speaking to the user.</summary>
internal sealed class OneCallAtATimeRule(RuleHeader header) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var call = context.Call;
        if (call.ParallelIndex > 0)
        {
            return PolicyVerdict.Fail(Header.Reason ?? $"call {call.ParallelIndex + 1} of {call.ParallelCount} proposed in one turn; make one tool call at a time");
        }

        return call.TurnHasText
            ? PolicyVerdict.Fail(Header.Reason ?? "a tool call and a message to the user in the same turn; do one or the other")
            : PolicyVerdict.Pass;
    }
}
