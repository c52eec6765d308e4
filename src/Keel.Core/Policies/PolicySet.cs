using Keel.Model;

namespace Keel.Policies;

/// <summary>A versioned, compiled set of policy rules. Immutable and thread-safe.</summary>
/// <remarks>Every rule that applies to a call is evaluated; the most restrictive failing rule decides
/// (deny &gt; escalate &gt; require_approval &gt; require_plan &gt; allow); among equals, the first written wins. Rules with
/// <c>on_fail: warn</c> never stop a call: when nothing else fails, the first failing warn rule is recorded on the allow
/// decision (its <see cref="Decision.RuleId"/> is set), like a Kubernetes admission policy's Warn action.</remarks>
public sealed class PolicySet
{
    private readonly Dictionary<string, PolicyRule[]> _byTool;
    private readonly PolicyRule[] _wildcard;
    private readonly Decision _allowed;

    /// <summary>Creates a policy set.</summary>
    /// <param name="id">Policy set id, e.g. <c>tau-airline</c>.</param>
    /// <param name="version">Version recorded on every decision.</param>
    /// <param name="source">The policy document the rules cite, relative to the bundle; <see langword="null"/> when none.</param>
    /// <param name="rules">The rules in written order.</param>
    public PolicySet(string id, string version, string? source, IReadOnlyList<PolicyRule> rules)
    {
        Id = id;
        Version = version;
        Source = source;
        Rules = rules;
        _wildcard = [.. rules.Where(r => r.Header.Tools is null)];
        _byTool = new Dictionary<string, PolicyRule[]>(StringComparer.Ordinal);
        foreach (var tool in rules.Where(r => r.Header.Tools is not null).SelectMany(r => r.Header.Tools!).Distinct())
        {
            _byTool[tool] = [.. rules.Where(r => r.Header.AppliesTo(tool))];
        }

        _allowed = new Decision(DecisionKind.Allow, "policy", null, version, "no policy rule objected");
    }

    /// <summary>An empty policy set that allows everything.</summary>
    public static PolicySet Empty { get; } = new("none", "0", null, []);

    /// <summary>Policy set id.</summary>
    public string Id { get; }

    /// <summary>Version recorded on every decision.</summary>
    public string Version { get; }

    /// <summary>The cited policy document, relative to the bundle.</summary>
    public string? Source { get; }

    /// <summary>Rules in written order.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Evaluates every rule that applies to the call.</summary>
    /// <param name="context">The call and its run.</param>
    /// <returns>The decision of the most restrictive failing rule, or an allow carrying this set's version.</returns>
    public Decision Evaluate(PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rules = _byTool.TryGetValue(context.Call.ToolName, out var specific) ? specific : _wildcard;
        PolicyRule? worst = null;
        string? worstReason = null;
        PolicyRule? warning = null;
        string? warningReason = null;
        foreach (var rule in rules)
        {
            if (rule.Header.Warn)
            {
                if (warning is null && worst is null && rule.Evaluate(context) is { Passed: false } warned)
                {
                    warning = rule;
                    warningReason = warned.Reason;
                }

                continue;
            }

            if (worst is not null && rule.Header.OnFail <= worst.Header.OnFail)
            {
                continue;
            }

            var verdict = rule.Evaluate(context);
            if (!verdict.Passed)
            {
                worst = rule;
                worstReason = verdict.Reason;
            }
        }

        if (worst is not null)
        {
            return new Decision(worst.Header.OnFail, "policy", worst.Id, Version, worstReason ?? worst.Header.Reason ?? worst.Id);
        }

        return warning is null
            ? _allowed
            : new Decision(DecisionKind.Allow, "policy", warning.Id, Version, $"allowed with a warning: {warningReason ?? warning.Header.Reason ?? warning.Id}");
    }
}
