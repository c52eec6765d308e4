using System.Globalization;

namespace Keel.Policies.Rules;

/// <summary><c>rate_limit</c>: at most <c>max</c> allowed calls of the rule's tools per run, or per sliding window on the run clock.</summary>
internal sealed class RateLimitRule(RuleHeader header, int max, TimeSpan? window) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        var since = window is { } w ? context.Now - w : DateTimeOffset.MinValue;
        var used = context.State.CountAllowedCalls(Header.Tools, since);
        if (used < max)
        {
            return PolicyVerdict.Pass;
        }

        var per = window is { } span ? string.Create(CultureInfo.InvariantCulture, $"per {span}") : "per run";
        return PolicyVerdict.Fail(Header.Reason ?? $"rate limit reached: {used} of {max} calls {per}");
    }
}
