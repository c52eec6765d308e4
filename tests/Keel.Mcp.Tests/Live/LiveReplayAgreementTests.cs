using System.Diagnostics;
using Keel.Mcp.Live;
using Keel.Mcp.Upstream;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Live;

/// <summary>The measured requirement: the live replay of the shipped tau-bench sample through the gateway gives the same decisions
/// as <c>keel replay</c> (same policies, same runs).</summary>
public sealed class LiveReplayAgreementTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Explore()
    {
        string[] only = ["tau-airline-t8-r1", "tau-airline-t28-r1", "tau-airline-t9-r2", "tau-airline-t0-r3"];
        var runs = (await LiveKeelServer.ImportSampleAsync(Token)).Where(r => only.Contains(r.Id)).ToList();
        var engine = new ReplayEngine(LiveKeelServer.Airline);
        var audit = new List<ReplayedRun>();
        foreach (var run in runs)
        {
            audit.Add(await engine.ReplayAsync(run, Token));
        }

        var watch = Stopwatch.StartNew();
        await using var upstream = RunScopedToolExecutor.ForUpstreams([LiveKeelServer.TauTools()], maxOpenRuns: 8);
        await using var server = await LiveKeelServer.StartAsync(upstream, Token);
        var live = await new LiveReplayDriver(server.Client, new LiveReplayOptions { Parallelism = 2 }).ReplayAsync(runs, cancellationToken: Token);
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine($"live replay: {watch.Elapsed}");
        output.WriteLine($"runs {live.Runs.Count} failed {live.FailedRuns} calls {live.CallCount} reached {live.ReachedUpstream} asRecorded {live.AnsweredAsRecorded}");
        foreach (var (k, v) in live.DecisionsByKind)
        {
            output.WriteLine($"  {k}: {v}");
        }

        foreach (var failed in live.Runs.Where(r => !r.Completed).Take(5))
        {
            output.WriteLine($"failed {failed.RunId}: {failed.Error}");
        }

        foreach (var run in live.Runs)
        {
            var a = audit.Single(x => x.Recorded.Id == run.Recorded.Id);
            output.WriteLine(run.RunId);
            for (var i = 0; i < run.Calls.Count; i++)
            {
                var c = run.Calls[i];
                string Cut(string? t) => t is null ? "" : t.Length > 70 ? t[..70] : t;
                output.WriteLine($"  #{i} {c.Recorded.Call.ToolName} audit {a.Calls[i].Decision.Kind}/{a.Calls[i].Decision.RuleId} live {c.Outcome.Decision.Kind}/{c.Outcome.Decision.RuleId} | rec {c.Recorded.Result?.Status} {Cut(c.Recorded.Result?.Output)} | live {c.Outcome.Result.Status} {Cut(c.Outcome.Result.Output)}");
            }
        }

        foreach (var (name, same) in new (string, Func<string, string, bool>?)[] { ("ordinal", null), ("province", SameAnswer) })
        {
            var agreements = LiveAuditComparison.Compare(audit, live.Runs, same);
            output.WriteLine($"[{name}] identical {agreements.Count(a => a.Identical)} of {agreements.Count}; before divergence {agreements.Count(a => a.BeforeDivergence)} (identical {agreements.Count(a => a.BeforeDivergence && a.Identical)})");
            foreach (var a in agreements.Where(a => !a.Identical))
            {
                output.WriteLine($"  {a.RunId} #{a.CallIndex} {a.ToolName}: audit {a.AuditKind}/{a.AuditRuleId} live {a.LiveKind}/{a.LiveRuleId}; diverged at {a.DivergedAt}");
            }
        }
    }

    private static bool SameAnswer(string recorded, string live) =>
        string.Equals(recorded, live, StringComparison.Ordinal)
        || string.Equals(recorded.Replace("\"province\": ", "\"state\": ", StringComparison.Ordinal), live, StringComparison.Ordinal);
}
