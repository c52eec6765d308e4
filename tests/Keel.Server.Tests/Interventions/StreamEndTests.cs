using System.Net.Http.Json;
using Keel.Server.Interventions;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests.Interventions;

/// <summary>A run's delivery stream ends with a final <c>ended</c> event once the run reaches a terminal status, and
/// <see cref="RunSignals"/> keeps no entry for a run nobody watches.</summary>
public sealed class StreamEndTests
{
    [Fact]
    public async Task Stream_RunClosedWhileWatched_SendsEndedWithTheStatusAndCloses()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await gateway.Admin.InterveneOkAsync(run, "pause");
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await agent.GetAsync($"/v1/runs/{run}/stream", HttpCompletionOption.ResponseHeadersRead, safety.Token);
        var reading = response.Content.ReadAsStringAsync(safety.Token);

        (await agent.PostAsJsonAsync($"/v1/runs/{run}/close", new { status = "failed" }, TestGateway.Json, safety.Token)).EnsureSuccessStatusCode();
        var body = await reading;

        body.ShouldContain("event: paused\n");
        body.ShouldEndWith("\n\n");
        var last = body.TrimEnd('\n').Split("\n\n")[^1];
        last.ShouldStartWith("event: ended\ndata: ");
        last.ShouldContain("\"note\":\"failed\"");
    }

    [Fact]
    public async Task Stream_RunAlreadyHandedOffOrClosed_AnswersItsDeliveriesThenEnded()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await gateway.Admin.InterveneOkAsync(run, "pause");
        await agent.ReplyAsync(run, "Draft.");
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/close", new { status = "completed" }, TestGateway.Json)).EnsureSuccessStatusCode();

        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var body = await agent.GetStringAsync($"/v1/runs/{run}/stream", safety.Token);

        body.Split("\n\n").Where(b => b.Contains("event: ")).Select(b => b.Split('\n').First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..])
            .ShouldBe(["paused", "held", "ended"]);
        body.ShouldContain("\"note\":\"completed\"");
    }

    [Fact]
    public async Task LongPoll_WaitEndsWithoutACommit_LeavesNoSignalEntry()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var signals = gateway.Services.GetRequiredService<RunSignals>();
        var runs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add(await agent.OpenRunAsync());
        }

        // Each long-poll waits its 3 s out: nothing is committed to wake it.
        var polls = runs.Select(r => agent.DeliveriesAsync(r, wait: 3)).ToArray();
        var peak = 0;
        while (!polls.All(p => p.IsCompleted))
        {
            peak = Math.Max(peak, signals.Watched);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(polls);

        peak.ShouldBeGreaterThan(0);
        signals.Watched.ShouldBe(0);
    }

    [Fact]
    public void Watch_DisposedOrWoken_RemovesTheEntryOnlyWhenTheLastWatcherLeaves()
    {
        var signals = new RunSignals();
        var first = signals.Start("ws", "run-1");
        var second = signals.Start("ws", "run-1");
        var feed = signals.Start("ws", null);

        first.Dispose();
        signals.Watched.ShouldBe(2);
        signals.Notify("ws", "run-1");
        second.Changed.IsCompletedSuccessfully.ShouldBeTrue();
        feed.Changed.IsCompletedSuccessfully.ShouldBeTrue();
        signals.Watched.ShouldBe(0);
        second.Dispose();
        feed.Dispose();
        feed.Dispose();
        signals.Watched.ShouldBe(0);
        signals.Start("ws", "run-2").Dispose();
        signals.Watched.ShouldBe(0);
    }
}
