using Keel.Mcp.Live;
using Keel.Mcp.Upstream;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Live;

/// <summary>The measured requirement: the live replay of the shipped tau-bench sample through the gateway gives the same decisions
/// as <c>keel replay</c> (same policies, same runs). The gateway is a real Keel server on 127.0.0.1 on the recording's clock; its
/// executor starts a fresh keel-tau-tools process (a fresh database) per run, as tau-bench resets its environment per task.</summary>
public sealed class LiveReplayAgreementTests
{
    /// <summary>The calls whose decisions differ, as "run #call tool: replay -> live". Each comes after a call of its run that Keel
    /// did not let run live while, in audit mode, the recorded result stood in for it; each is loop_guard's no-progress rule
    /// (agent.yaml <c>max_steps_without_progress: 5</c>), which counts calls that brought no new result — a call that did not run
    /// never does. docs/live-replay.md explains each.</summary>
    private static readonly string[] Differences =
    [
        "tau-airline-t0-r3 #10 cancel_reservation: require_approval/airline.cancel.reservation-known -> escalate/loop.no_progress",
        "tau-airline-t28-r1 #14 transfer_to_human_agents: allow/ -> escalate/loop.no_progress",
        "tau-airline-t8-r1 #14 think: allow/ -> escalate/loop.no_progress",
        "tau-airline-t9-r2 #20 book_reservation: escalate/loop.no_progress -> allow/",
        "tau-airline-t9-r2 #21 think: escalate/loop.no_progress -> allow/",
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReplayAsync_ShippedTauBenchSampleThroughTheGateway_DecidesAsKeelReplayWhileResultsAgree()
    {
        var runs = await LiveKeelServer.ImportSampleAsync(Token);
        var engine = new ReplayEngine(LiveKeelServer.Airline);
        var audit = new List<ReplayedRun>();
        foreach (var run in runs)
        {
            audit.Add(await engine.ReplayAsync(run, Token));
        }

        await using var upstream = RunScopedToolExecutor.ForUpstreams([LiveKeelServer.TauTools()], maxOpenRuns: 8);
        await using var server = await LiveKeelServer.StartAsync(upstream, Token);
        var live = await new LiveReplayDriver(server.Client, new LiveReplayOptions { Parallelism = 4 }).ReplayAsync(runs, cancellationToken: Token);

        live.Runs.Count.ShouldBe(160);
        live.Runs.Where(r => !r.Completed).Select(r => $"{r.RunId}: {r.Error}").ShouldBeEmpty();
        live.CallCount.ShouldBe(937);
        var agreements = LiveAuditComparison.Compare(audit, live.Runs, TauKnownDifferences.SameAnswer);
        agreements.Count.ShouldBe(937);

        // While every earlier result of a run agrees, Keel decides every call as keel replay does: no exception.
        agreements.Where(a => a.BeforeDivergence && !a.Identical).Select(Describe).ShouldBeEmpty();
        agreements.Count(a => a.BeforeDivergence).ShouldBe(850);

        // After a run's results part, exactly these five differ, each for the reason in Differences.
        var differing = agreements.Where(a => !a.Identical).ToList();
        differing.Select(Describe).Order(StringComparer.Ordinal).ShouldBe(Differences);
        differing.ShouldAllBe(a => a.DivergedAt!.Reason.StartsWith("not run live", StringComparison.Ordinal));
        agreements.Count(a => a.Identical).ShouldBe(932);

        // What reached the real tools: every allowed call ran; its answer is the recorded one except for the documented
        // province/state rename (docs/tau-tools.md) and answers given after the run's database had drifted from the recording.
        live.DecisionsByKind.ShouldBe([new("allow", 861), new("require_approval", 29), new("escalate", 13), new("deny", 34)]);
        live.ReachedUpstream.ShouldBe(861);
        live.AnsweredAsRecorded.ShouldBe(763);
        var otherwise = live.Runs.SelectMany(r => r.Calls.Select((call, i) => (Call: call, Agreement: agreements.Single(a => a.RunId == r.RunId && a.CallIndex == i))))
            .Where(x => x.Call.ReachedUpstream && !TauKnownDifferences.SameAnswer(x.Call.Recorded.Result!.Output, x.Call.Outcome.Result.Output ?? string.Empty))
            .ToList();

        // The one: update_reservation_baggages answers the reservation without the flight change Keel denied before it (schema.extra_field).
        otherwise.Select(x => $"{Describe(x.Agreement)} after #{x.Agreement.DivergedAt?.CallIndex}").ShouldBe(
            ["tau-airline-t5-r1 #5 update_reservation_baggages: allow/ -> allow/ after #4"]);
    }

    private static string Describe(CallAgreement a) =>
        $"{a.RunId} #{a.CallIndex} {a.ToolName}: {a.AuditKind}/{a.AuditRuleId} -> {a.LiveKind}/{a.LiveRuleId}";
}
