using Keel.Model;

namespace Keel.Policies;

/// <summary>One rule of a policy set. Rules are immutable and thread-safe once loaded.</summary>
public abstract class PolicyRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="header">The fields every rule has.</param>
    protected PolicyRule(RuleHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Header = header;
    }

    /// <summary>The fields every rule has (id, kind, tools, on_fail, reason, cite, location).</summary>
    public RuleHeader Header { get; }

    /// <summary>Rule id, e.g. <c>airline.cancel.eligibility</c>.</summary>
    public string Id => Header.Id;

    /// <summary>Judges a call this rule applies to (the caller has checked <see cref="RuleHeader.AppliesTo"/>).</summary>
    /// <param name="context">The call and its run.</param>
    /// <returns>Pass, or fail with a reason; on fail the engine applies <see cref="RuleHeader.OnFail"/>.</returns>
    public abstract PolicyVerdict Evaluate(PolicyContext context);
}

/// <summary>The fields every rule has.</summary>
/// <param name="Id">Unique rule id.</param>
/// <param name="Kind">The rule kind as written, e.g. <c>precondition</c>.</param>
/// <param name="Tools">Tool names the rule applies to; <see langword="null"/> for every tool (<c>["*"]</c>).</param>
/// <param name="OnFail">The decision when the rule fails.</param>
/// <param name="Reason">The sentence shown when the rule fails, or <see langword="null"/> to use the rule's own.</param>
/// <param name="Cite">The policy-document sentence the rule enforces.</param>
/// <param name="Location">Where the rule is written (<c>file:line:column</c>).</param>
/// <param name="Warn">Whether the rule only warns (<c>on_fail: warn</c>): the call is allowed and the warning recorded on the decision.</param>
public sealed record RuleHeader(string Id, string Kind, IReadOnlySet<string>? Tools, DecisionKind OnFail, string? Reason, string? Cite, string Location, bool Warn = false)
{
    /// <summary>Whether the rule applies to a tool.</summary>
    /// <param name="tool">The tool name.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool AppliesTo(string tool) => Tools is null || Tools.Contains(tool);
}
