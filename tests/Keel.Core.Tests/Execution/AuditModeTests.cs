using System.Security.Cryptography;
using System.Text;
using Keel.Core.Tests.Replay;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Execution;

/// <summary>Audit mode has no resilience pipeline: a replay writes exactly the events it wrote before execution events existed.</summary>
public sealed class AuditModeTests
{
    [Fact]
    public async Task ReplayAsync_ShippedAirlineRun_WritesTheSameEventsAsBeforeExecutionEvents()
    {
        // tau-airline-t41-r0 replayed with the shipped bundle; the count and the digest of every serialized event were taken on
        // main at be9126a, before the execute stage had a Polly pipeline or execution events (the sentiment monitor's tags, added
        // later, and the escalation and conversation-tag monitors, added later still, are left out: the run is replayed with the
        // monitors of that time).
        var replayed = await new ReplayEngine(AirlineSample.Agent, monitors: [.. RunMonitors.Standard.Where(m => m is not (SentimentMonitor or EscalationMonitor or ConversationTagMonitor))]).ReplayAsync(await AirlineSample.RunAsync("tau-airline-t41-r0"), TestContext.Current.CancellationToken);

        var events = replayed.Run.Events;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', events.Select(RunEventJson.Serialize)))))[..16];

        events.OfType<ExecutionEvent>().ShouldBeEmpty();
        (events.Count, digest).ShouldBe((18, "1d802b8c8e678173"));
    }
}
