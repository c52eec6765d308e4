using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace Keel.Server.Tests.Interventions;

public sealed class DeliveryStreamTests
{
    [Fact]
    public async Task Stream_ReconnectWithLastEventId_ResumesWithoutLossOrRepeat()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        var run = await agent.OpenRunAsync();
        await supervisor.InterveneOkAsync(run, "pause");
        var first = await agent.ReplyAsync(run, "First draft.");
        var second = await agent.ReplyAsync(run, "Second draft.");
        (await supervisor.DecideReplyAsync(run, first.Str("intervention_id"), "edit", "First, edited.")).EnsureSuccessStatusCode();

        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (firstRead, lastId) = await ReadEventsAsync(agent, run, lastEventId: null, count: 4, safety.Token);
        firstRead.Select(e => e.Type).ShouldBe(["paused", "held", "held", "decision"]);
        firstRead[^1].Data.Str("text").ShouldBe("First, edited.");

        // While nobody listens: the second reply is decided, the run released.
        (await supervisor.DecideReplyAsync(run, second.Str("intervention_id"), "replace", "Operator's own words.")).EnsureSuccessStatusCode();
        await supervisor.InterveneOkAsync(run, "release");

        var (resumed, _) = await ReadEventsAsync(agent, run, lastId, count: 2, safety.Token);
        resumed.Select(e => e.Type).ShouldBe(["decision", "released"]);
        resumed[0].Data.Str("text").ShouldBe("Operator's own words.");
        resumed[0].Data.Str("role").ShouldBe("operator");
        resumed[0].Id.ShouldBeGreaterThan(lastId);
    }

    [Fact]
    public async Task Stream_OpenWhileOperatorDecides_GetsTheDecisionLive()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await gateway.Admin.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft.");
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var reading = ReadEventsAsync(agent, run, lastEventId: held.GetProperty("sequence").GetInt64(), count: 1, safety.Token);
        (await gateway.Admin.DecideReplyAsync(run, held.Str("intervention_id"), "send")).EnsureSuccessStatusCode();
        var (events, _) = await reading;

        events.ShouldHaveSingleItem().Data.Str("text").ShouldBe("Draft.");
    }

    [Fact]
    public async Task LongPoll_WaitingWhenTheDecisionArrives_ReturnsIt()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        await gateway.Admin.InterveneOkAsync(run, "pause");
        var held = await agent.ReplyAsync(run, "Draft.");
        var after = held.GetProperty("sequence").GetInt64();

        var empty = await agent.DeliveriesAsync(run, after, wait: 0);
        var polling = agent.DeliveriesAsync(run, after, wait: 60);
        (await gateway.Admin.DecideReplyAsync(run, held.Str("intervention_id"), "edit", "Edited while polling.")).EnsureSuccessStatusCode();
        var answered = await polling;

        empty.Items().ShouldBeEmpty();
        empty.GetProperty("next").GetInt64().ShouldBe(after);
        var decision = answered.Items().ShouldHaveSingleItem();
        decision.Str("text").ShouldBe("Edited while polling.");
        answered.GetProperty("next").GetInt64().ShouldBeGreaterThan(decision.GetProperty("sequence").GetInt64()); // the delivered message follows it
        answered.Str("status").ShouldBe("paused");
    }

    [Fact]
    public async Task TwoInstances_OneDatabase_PauseAndDecisionOnOneAreSeenByTheOther()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var (_, agentA) = await gateway.NewKeyAsync("agent", "refund-desk");
        var (_, operatorA) = await gateway.NewKeyAsync("operator", name: "supervisor");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(gateway.DatabasePath), Executor = gateway.Upstream, TimeProvider = gateway.Time };
        options.Agents.Add(TestGateway.RefundDesk);
        var other = await KeelServer.BuildAsync(options, configure: b => b.WebHost.UseTestServer());
        await other.StartAsync();
        try
        {
            var operatorB = other.App.GetTestClient();
            operatorB.DefaultRequestHeaders.Authorization = operatorA.DefaultRequestHeaders.Authorization;
            var run = await agentA.OpenRunAsync();
            (await agentA.ReplyAsync(run, "Before.")).Str("delivery").ShouldBe("deliver");

            await operatorB.InterveneOkAsync(run, "pause");
            var held = await agentA.ReplyAsync(run, "After the pause on the other instance.");
            held.Str("delivery").ShouldBe("held");
            var polling = agentA.DeliveriesAsync(run, held.GetProperty("sequence").GetInt64(), wait: 60);
            (await operatorB.DecideReplyAsync(run, held.Str("intervention_id"), "edit", "Decided on B.")).EnsureSuccessStatusCode();

            (await polling).Items().ShouldHaveSingleItem().Str("text").ShouldBe("Decided on B.");
        }
        finally
        {
            await other.App.StopAsync();
            await other.App.DisposeAsync();
        }
    }

    private static async Task<(List<(long Id, string Type, JsonElement Data)> Events, long LastId)> ReadEventsAsync(HttpClient client, string run, long? lastEventId, int count,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{run}/stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var events = new List<(long, string, JsonElement)>();
        (long? Id, string? Type, string? Data) current = default;
        while (events.Count < count && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (current is { Id: { } i, Type: { } t, Data: { } d })
                {
                    events.Add((i, t, JsonDocument.Parse(d).RootElement.Clone()));
                }

                current = default;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                current.Id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current.Type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                current.Data = line[6..];
            }
        }

        return (events, events.Count == 0 ? lastEventId ?? 0 : events[^1].Item1);
    }
}
