namespace Keel.Policies.Rules;

/// <summary><c>tool_allow</c> (only listed tools) and <c>tool_deny</c> (listed tools refused). Applies to every call; the list is the rule's own, not <see cref="RuleHeader.Tools"/>.</summary>
internal sealed class ToolListRule(RuleHeader header, IReadOnlySet<string> listed, bool allowList) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var isListed = listed.Contains(context.Call.ToolName);
        if (allowList == isListed)
        {
            return PolicyVerdict.Pass;
        }

        return PolicyVerdict.Fail(Header.Reason ?? (allowList
            ? $"tool '{context.Call.ToolName}' is not on this agent's allow list"
            : $"tool '{context.Call.ToolName}' is on this agent's deny list"));
    }
}
