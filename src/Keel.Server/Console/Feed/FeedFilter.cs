using Keel.Model;
using Keel.Storage;

namespace Keel.Server.Console.Feed;

/// <summary>The live feed's filters, from the query string; <see langword="null"/> or empty means any.</summary>
/// <param name="Agent">Agent name.</param>
/// <param name="Version">Agent version.</param>
/// <param name="Status">A run status (<c>active</c>, <c>awaiting_approval</c>, <c>paused</c>, … or <c>all</c>); the default shows
/// the runs still going: active, awaiting approval, paused, taken over.</param>
/// <param name="Tag">A finding or tag type the run has, e.g. <c>sentiment_negative</c>.</param>
/// <param name="Channel">The run's channel: <c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c>, <c>api</c>, <c>mcp</c>, or
/// <c>replay</c> / <c>otlp</c> for recorded runs.</param>
internal sealed record FeedFilter(string? Agent, string? Version, string? Status, string? Tag, string? Channel = null)
{
    /// <summary>The channels the filter offers: those a live run is opened on, and the recorded runs' two.</summary>
    public static readonly IReadOnlyList<string> Channels = [.. Keel.Gateway.LiveRequestRules.RunChannelNames, Run.ReplayChannel, Run.OtlpChannel];

    private static readonly RunStatus[] _going = [RunStatus.Active, RunStatus.AwaitingApproval, RunStatus.Paused, RunStatus.TakenOver];

    /// <summary>Whether a listed run passes the agent, version, channel and status filters (the tag filter needs its events).</summary>
    public bool Admits(RunSummary run) =>
        (string.IsNullOrEmpty(Agent) || run.AgentName == Agent)
        && (string.IsNullOrEmpty(Version) || run.AgentVersion == Version)
        && (string.IsNullOrEmpty(Channel) || run.Channel == Channel)
        && Status switch
        {
            null or "" => _going.Contains(run.Status),
            "all" => true,
            _ => RunEventJson.TryParseEnumName<RunStatus>(Status, out var s) && run.Status == s,
        };

    /// <summary>The query string that carries these filters, e.g. <c>agent=refund-desk&amp;tag=x</c> (escaped).</summary>
    public string Query() => string.Join("&", new[] { ("agent", Agent), ("version", Version), ("channel", Channel), ("status", Status), ("tag", Tag) }
        .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
}
