using System.Globalization;

namespace Keel.Triggers;

/// <summary>The trigger alert: the text of a Slack-compatible webhook message (posted by <see cref="Drift.DriftAlert.PostAsync(HttpClient, Uri, string, CancellationToken)"/>)
/// naming every fired trigger with its evidence and what was done.</summary>
public static class TriggerAlert
{
    /// <summary>The message text.</summary>
    /// <param name="agent">The agent watched.</param>
    /// <param name="version">The version watched (its hash).</param>
    /// <param name="report">The triggers' verdicts.</param>
    /// <param name="applied">What was done.</param>
    /// <returns>A heading, one line per fired trigger, and the action.</returns>
    public static string Text(string agent, string version, TriggerReport report, TriggerApplied applied)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(applied);
        var fired = report.Fired;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Keel triggers: {fired.Count} of {report.Results.Count} fired for agent {agent} version {version} ({report.Drift.CurrentRuns} current runs against a baseline of {report.Drift.BaselineRuns}; Benjamini-Hochberg q = {report.Drift.FalseDiscoveryRate})"),
        };
        lines.AddRange(fired.Select(r => $"- {r.Rule.Id} ({TriggerRule.Name(r.Rule.Condition)} -> {TriggerRule.Name(r.Rule.Action)}): {r.Reason}"));
        lines.Add("Action: " + applied.Text);
        return string.Join('\n', lines);
    }
}
