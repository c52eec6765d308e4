using System.Net.Http.Json;
using System.Text.Json;
using Keel.Storage.Sqlite;

namespace Keel.Server.Tests;

public sealed class AuditTests
{
    [Fact]
    public async Task LiveRun_EventsAreChainedRedactedAndVerifyIntact()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();
        (await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "user", content = "Refund order A1 please, mail me at jane.doe@example.com" }, TestGateway.Json)).EnsureSuccessStatusCode();
        await agent.ProposeOkAsync(run, "c1", "get_order", new { order_id = "A1" });
        await agent.ProposeOkAsync(run, "c2", "refund_order", new { order_id = "A1", amount = 900 });

        var events = (await gateway.Admin.GetFromJsonAsync<JsonElement>($"/v1/runs/{run}/events")).GetProperty("events").EnumerateArray().ToArray();
        events.Length.ShouldBeGreaterThan(5);
        for (var i = 1; i < events.Length; i++)
        {
            events[i].GetProperty("prev_hash").GetString().ShouldBe(events[i - 1].GetProperty("hash").GetString());
        }

        var stored = string.Join('\n', events.Select(e => e.GetProperty("data").GetRawText()));
        stored.ShouldNotContain("jane.doe@example.com");
        stored.ShouldContain("[redacted:email]");

        using var reader = SqliteAuditReader.Open(gateway.DatabasePath);
        var report = reader.Verify();
        report.Problems.ShouldBeEmpty();
        report.EventsChecked.ShouldBe(events.Length);
    }
}
