using System.Globalization;
using Keel.Model;
using Keel.Monitors;

namespace Keel.Risk;

/// <summary>How much a live run needs a person now: the sum of five capped parts (<see cref="Parts"/>), used to rank the operator
/// console's live feed. A triage order, not a probability: the weights are chosen, not fitted, and documented below and in
/// docs/console.md.</summary>
/// <param name="Total">The sum of the parts' points, 0 to 170 (dimensionless; higher is riskier).</param>
/// <param name="Parts">The five parts in a fixed order: findings, sentiment, approvals, budget, failures.</param>
/// <remarks>
/// The weights follow the order of urgency the product brief (docs/product.md) gives an operator: a call waiting for a person
/// blocks the customer (20 points each, at most 40); a high-severity monitor finding is the strongest evidence that something is
/// wrong (findings by severity on a 25 / 10 / 3 / 0 ladder for high / medium / low / info, at most 50 — the geometric spacing of
/// qualitative severity scales such as CVSS v3.1's rating bands, so one high outweighs two mediums); the customer turning negative
/// right after an agent reply is the SentimentMonitor's live signal (15 each, at most 30; the run's overall negative tag and a
/// declining trend add 10 each, within the same cap); failures and errored or refused tool calls (10 per classified failure, 5 per
/// tool error or denied call, at most 30); budget use adds nothing below half of the agent's tool-call or step budget and rises
/// linearly to 20 at the whole budget. Pure: the same inputs give the same score; thread-safe.
/// </remarks>
public sealed record RiskScore(double Total, IReadOnlyList<RiskPart> Parts)
{
    /// <summary>The findings part's name.</summary>
    public const string Findings = "findings";

    /// <summary>The sentiment part's name.</summary>
    public const string Sentiment = "sentiment";

    /// <summary>The pending approvals part's name.</summary>
    public const string Approvals = "approvals";

    /// <summary>The budget use part's name.</summary>
    public const string Budget = "budget";

    /// <summary>The failures part's name.</summary>
    public const string Failures = "failures";

    private static readonly HashSet<string> _sentimentTypes = new(StringComparer.Ordinal)
    {
        TagTypes.SentimentNegative, TagTypes.SentimentNeutral, TagTypes.SentimentPositive, TagTypes.SentimentDeclining,
        TagTypes.SentimentImproving, TagTypes.SentimentTurnedNegative,
    };

    /// <summary>Scores a run from its events (findings, tags, tool results, decisions), its classified failures, its pending approvals
    /// and its budget.</summary>
    /// <param name="run">The run with its events.</param>
    /// <param name="pendingApprovals">How many of the run's approvals are pending now (0 or more).</param>
    /// <param name="budget">The agent version's per-run budget; <see cref="BudgetLimits.Unlimited"/> when it has none.</param>
    /// <returns>The score and its five parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> or <paramref name="budget"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pendingApprovals"/> is negative.</exception>
    public static RiskScore Compute(Run run, int pendingApprovals, BudgetLimits budget)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(pendingApprovals);
        var findings = run.Events.OfType<FindingEvent>().Select(e => e.Finding).ToList();
        RiskPart[] parts =
        [
            FindingsPart(findings.Where(f => !_sentimentTypes.Contains(f.Type))),
            SentimentPart(findings.Where(f => _sentimentTypes.Contains(f.Type)).ToList()),
            new(Approvals, Math.Min(40, 20 * pendingApprovals), pendingApprovals == 0 ? string.Empty : $"{pendingApprovals} pending"),
            BudgetPart(run, budget),
            FailuresPart(run),
        ];
        return new RiskScore(parts.Sum(p => p.Points), parts);
    }

    /// <summary>The part named <paramref name="name"/>.</summary>
    /// <param name="name">One of the part name constants.</param>
    /// <returns>The part.</returns>
    /// <exception cref="InvalidOperationException">No part has that name.</exception>
    public RiskPart Part(string name) => Parts.First(p => p.Name == name);

    private static RiskPart FindingsPart(IEnumerable<Finding> findings)
    {
        var bySeverity = findings.GroupBy(f => f.Severity).ToDictionary(g => g.Key, g => g.Count());
        int Count(FindingSeverity s) => bySeverity.GetValueOrDefault(s);
        var points = (25 * Count(FindingSeverity.High)) + (10 * Count(FindingSeverity.Medium)) + (3 * Count(FindingSeverity.Low));
        var detail = string.Join(", ", new[] { FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low, FindingSeverity.Info }
            .Where(s => Count(s) > 0).Select(s => $"{Count(s)} {s.ToString().ToLowerInvariant()}"));
        return new RiskPart(Findings, Math.Min(50, points), detail);
    }

    private static RiskPart SentimentPart(List<Finding> findings)
    {
        var turned = findings.Count(f => f.Type == TagTypes.SentimentTurnedNegative);
        var negative = findings.Any(f => f.Type == TagTypes.SentimentNegative);
        var trend = findings.LastOrDefault(f => f.Type is TagTypes.SentimentDeclining or TagTypes.SentimentImproving)?.Type;
        var points = (15 * turned) + (negative ? 10 : 0) + (trend == TagTypes.SentimentDeclining ? 10 : 0);
        var words = new List<string>();
        if (turned > 0)
        {
            words.Add($"turned negative {turned}×");
        }

        if (findings.LastOrDefault(f => f.Type is TagTypes.SentimentNegative or TagTypes.SentimentNeutral or TagTypes.SentimentPositive) is { } overall)
        {
            words.Add(overall.Type["sentiment_".Length..]);
        }

        if (trend is not null)
        {
            words.Add(trend["sentiment_".Length..]);
        }

        return new RiskPart(Sentiment, Math.Min(30, points), string.Join(", ", words));
    }

    private static RiskPart BudgetPart(Run run, BudgetLimits budget)
    {
        var fractions = new List<double>();
        if (budget.MaxToolCalls is > 0 and var calls)
        {
            fractions.Add((double)run.Events.OfType<ToolCallEvent>().Count() / calls);
        }

        if (budget.MaxSteps is > 0 and var steps)
        {
            fractions.Add((double)run.Events.OfType<MessageEvent>().Count(m => m.Role == MessageRole.Assistant) / steps);
        }

        if (fractions.Count == 0)
        {
            return new RiskPart(Budget, 0, string.Empty);
        }

        var used = fractions.Max();
        var points = Math.Clamp(40 * (used - 0.5), 0, 20);
        return new RiskPart(Budget, Math.Round(points, 1), string.Create(CultureInfo.InvariantCulture, $"{used:P0} used"));
    }

    private static RiskPart FailuresPart(Run run)
    {
        var failures = run.Failures.Count;
        var errors = run.Events.OfType<ToolResultEvent>().Count(r => r.Result.Status == ToolResultStatus.Error);
        var denied = run.Events.OfType<DecisionEvent>().Count(d => d.Decision.Kind == DecisionKind.Deny);
        var points = (10 * failures) + (5 * errors) + (5 * denied);
        var detail = string.Join(", ", new[] { (failures, "failure"), (errors, "tool error"), (denied, "denied call") }
            .Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}{(p.Item1 == 1 ? string.Empty : "s")}"));
        return new RiskPart(Failures, Math.Min(30, points), detail);
    }
}
