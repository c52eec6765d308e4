using System.Globalization;
using System.Net.Http.Json;

namespace Keel.Drift;

/// <summary>The drift alert: a Slack-compatible webhook message (<c>{"text": …}</c>, the body of Slack's incoming webhooks, which
/// Mattermost, Rocket.Chat and Microsoft Teams workflows accept too) naming every drifted metric with both sides and its adjusted p-value.</summary>
public static class DriftAlert
{
    /// <summary>The message text for a report with drift.</summary>
    /// <param name="report">The report.</param>
    /// <returns>One line per drifted metric after a heading.</returns>
    public static string Text(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var drifted = report.Metrics.Where(m => m.Verdict == DriftVerdict.Drifted).ToList();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Keel drift: {drifted.Count} of {report.MetricsTested} metrics tested drifted ({report.CurrentRuns} current runs against a baseline of {report.BaselineRuns}; Benjamini-Hochberg q = {report.FalseDiscoveryRate}; agent {string.Join(", ", report.Agents)})"),
        };
        lines.AddRange(drifted.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"- {m.Name}: {m.Baseline.Display} -> {m.Current.Display} ({m.EffectName} {m.Effect:0.###}, {m.Test}, p = {m.PValue:0.####}, adjusted p = {m.AdjustedPValue:0.####})")));
        return string.Join('\n', lines);
    }

    /// <summary>Posts the alert to <paramref name="webhook"/>; one attempt.</summary>
    /// <param name="client">The HTTP client (its timeout applies).</param>
    /// <param name="webhook">An http(s) webhook URL, e.g. a Slack incoming webhook.</param>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    /// <returns>The HTTP status code of the answer.</returns>
    /// <exception cref="HttpRequestException">The webhook could not be reached.</exception>
    public static Task<int> PostAsync(HttpClient client, Uri webhook, DriftReport report, CancellationToken cancellationToken = default) =>
        PostAsync(client, webhook, Text(report), cancellationToken);

    /// <summary>Posts <c>{"text": text}</c> to <paramref name="webhook"/>; one attempt. The drift alert and the trigger alert
    /// (<see cref="Triggers.TriggerAlert"/>) both go through it.</summary>
    /// <param name="client">The HTTP client (its timeout applies).</param>
    /// <param name="webhook">An http(s) webhook URL, e.g. a Slack incoming webhook.</param>
    /// <param name="text">The message.</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    /// <returns>The HTTP status code of the answer.</returns>
    /// <exception cref="HttpRequestException">The webhook could not be reached.</exception>
    public static async Task<int> PostAsync(HttpClient client, Uri webhook, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(webhook);
        using var response = await client.PostAsJsonAsync(webhook, new DriftAlertMessage(text), DriftJsonContext.Default.DriftAlertMessage, cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }
}

/// <summary>The webhook body: <c>{"text": "…"}</c>.</summary>
/// <param name="Text">The message.</param>
public sealed record DriftAlertMessage(string Text);
