using System.Text.Json;
using Keel.Failures;
using Keel.Mcp.Tests.Fakes;
using Keel.Mcp.Upstream;
using Keel.Model;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Upstream;

/// <summary>McpUpstream and McpToolExecutor against the real keel-tau-tools process over stdio.</summary>
public sealed class McpUpstreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A reservation of the shipped airline database and the user it belongs to.</summary>
    private static (string Id, string UserId) Reservation(int index)
    {
        using var db = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.AirlineBundle, "db", "reservations.json")));
        var reservation = db.RootElement.EnumerateObject().ElementAt(index);
        return (reservation.Name, reservation.Value.GetProperty("user_id").GetString()!);
    }

    [Fact]
    public async Task ConnectAsync_TauAirline_ListsFourteenToolsWithSchemasAndHints()
    {
        await using var tau = new TauUpstream();

        var tools = await tau.Upstream.ConnectAsync(Token);

        tau.Upstream.IsConnected.ShouldBeTrue();
        tools.Count.ShouldBe(14);
        tools.ShouldAllBe(t => t.Upstream == "tau-airline");
        tools.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(TauUpstream.Agent.Tools.Tools.Select(t => t.Name));
        var details = tools.Single(t => t.Name == "get_reservation_details");
        details.ReadOnlyHint.ShouldBe(true);
        details.InputSchema.GetProperty("required")[0].GetString().ShouldBe("reservation_id");
        tools.Single(t => t.Name == "cancel_reservation").DestructiveHint.ShouldBe(true);
        tau.Executor.IsReady.ShouldBeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_ReservationOfTheShippedDatabase_ReturnsItsDetails()
    {
        await using var tau = new TauUpstream();
        var (id, userId) = Reservation(0);

        var result = await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""");

        result.Status.ShouldBe(ToolResultStatus.Ok);
        result.Output.ShouldStartWith($$"""{"reservation_id": "{{id}}", "user_id": "{{userId}}",""");
        result.LatencyMs.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownReservation_ReturnsErrorWithTheUpstreamsText()
    {
        await using var tau = new TauUpstream();

        var result = await tau.CallAsync("get_reservation_details", """{"reservation_id": "NOPE00"}""");

        result.Status.ShouldBe(ToolResultStatus.Error);
        result.Output.ShouldBe("Error: user not found");
        FailureClassifier.IsTransient(result.Output).ShouldBeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_AfterTheServerProcessIsKilled_ReportsTheUpstreamFailedThenReconnects()
    {
        await using var tau = new TauUpstream();
        var (id, _) = Reservation(1);
        (await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""")).Status.ShouldBe(ToolResultStatus.Ok);
        var first = tau.ProcessId;

        await tau.KillAsync();
        var failed = await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""");
        var recovered = await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""");

        failed.Status.ShouldBe(ToolResultStatus.Error);
        failed.Output.ShouldStartWith("Error: upstream tool server 'tau-airline' is unavailable: its connection closed");
        failed.Output.ShouldContain("Keel reconnects on the next call");
        failed.Output.ShouldNotContain(RepoPaths.TauToolsDll);
        FailureClassifier.IsTransient(failed.Output).ShouldBeTrue();
        recovered.Status.ShouldBe(ToolResultStatus.Ok);
        recovered.Output.ShouldContain(id);
        tau.ProcessId.ShouldNotBe(first);
        tau.Upstream.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_ServerStopsAnswering_TimesOutWithATransientErrorAndRecoversWhenItAnswersAgain()
    {
        await using var tau = new TauUpstream(callTimeout: TimeSpan.FromSeconds(5));
        var (id, _) = Reservation(2);
        await tau.Upstream.ConnectAsync(Token);
        var pid = tau.ProcessId;

        TauUpstream.Signal(pid, "STOP");
        ToolResult hung;
        try
        {
            hung = await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""");
        }
        finally
        {
            TauUpstream.Signal(pid, "CONT");
        }

        var after = await tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{id}}"}""");

        hung.Status.ShouldBe(ToolResultStatus.Error);
        hung.Output.ShouldBe("Error: upstream tool server 'tau-airline' timed out after 5000 ms, so whether the call ran is unknown");
        FailureClassifier.IsTransient(hung.Output).ShouldBeTrue();
        after.Status.ShouldBe(ToolResultStatus.Ok);
        tau.ProcessId.ShouldBe(pid);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledToken_ThrowsOperationCanceled()
    {
        await using var tau = new TauUpstream();
        await tau.Upstream.ConnectAsync(Token);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () =>
            await tau.Executor.ExecuteAsync(TauUpstream.Context("get_reservation_details", """{"reservation_id": "4WQ150"}"""), cancelled.Token));
    }

    [Fact]
    public async Task ExecuteAsync_ToolNoUpstreamOffers_ReturnsAnErrorNamingIt()
    {
        await using var tau = new TauUpstream();

        var result = await tau.CallAsync("launch_rocket", "{}");

        result.Status.ShouldBe(ToolResultStatus.Error);
        result.Output.ShouldBe("Error: no upstream tool server offers the tool 'launch_rocket'");
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentCalls_EachGetsItsOwnAnswer()
    {
        await using var tau = new TauUpstream();
        var reservations = Enumerable.Range(0, 16).Select(Reservation).ToList();

        var results = await Task.WhenAll(reservations.Select(r => tau.CallAsync("get_reservation_details", $$"""{"reservation_id": "{{r.Id}}"}""")));

        for (var i = 0; i < reservations.Count; i++)
        {
            results[i].Status.ShouldBe(ToolResultStatus.Ok);
            results[i].Output.ShouldStartWith($$"""{"reservation_id": "{{reservations[i].Id}}", "user_id": "{{reservations[i].UserId}}",""");
        }
    }

    [Fact]
    public async Task ExecuteAsync_CommandThatCannotStart_FailsOnceAndWaitsOutTheBackoffBeforeTheNextAttempt()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var upstream = new McpUpstream(new McpUpstreamOptions
        {
            Name = "missing",
            Command = Path.Combine(Path.GetTempPath(), "keel-no-such-mcp-server"),
            ReconnectDelay = TimeSpan.FromMinutes(1),
            MaxReconnectDelay = TimeSpan.FromMinutes(10),
        }, timeProvider: time);
        await using var executor = new McpToolExecutor([upstream]);

        var first = await executor.ExecuteAsync(TauUpstream.Context("think", """{"thought": "x"}"""), Token);
        var waiting = await executor.ExecuteAsync(TauUpstream.Context("think", """{"thought": "x"}"""), Token);
        time.Advance(TimeSpan.FromMinutes(1));
        var connect = await Should.ThrowAsync<McpUpstreamException>(() => upstream.ConnectAsync(Token));

        first.Output.ShouldBe("Error: no connected upstream tool server offers the tool 'think'; upstream 'missing' is unavailable");
        waiting.Status.ShouldBe(ToolResultStatus.Error);
        connect.Message.ShouldBe("upstream tool server 'missing' is unavailable: connecting failed (attempt 2), so the call was not sent. Keel tries again in 120 s");
        connect.Failure.ShouldBe(McpUpstreamFailure.Unavailable);
        connect.MayHaveRun.ShouldBeFalse();
        executor.IsReady.ShouldBeFalse();
    }

    [Fact]
    public async Task ConnectAsync_DuringTheBackoff_FailsWithoutStartingAProcess()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var upstream = new McpUpstream(new McpUpstreamOptions
        {
            Name = "missing",
            Command = Path.Combine(Path.GetTempPath(), "keel-no-such-mcp-server"),
            ReconnectDelay = TimeSpan.FromSeconds(5),
        }, timeProvider: time);

        var first = await Should.ThrowAsync<McpUpstreamException>(() => upstream.ConnectAsync(Token));
        time.Advance(TimeSpan.FromSeconds(2));
        var second = await Should.ThrowAsync<McpUpstreamException>(() => upstream.ConnectAsync(Token));

        first.Message.ShouldBe("upstream tool server 'missing' is unavailable: connecting failed (attempt 1), so the call was not sent. Keel tries again in 5 s");
        first.InnerException.ShouldNotBeNull();
        second.Message.ShouldBe("upstream tool server 'missing' is unavailable: the last connection attempt failed, so the call was not sent. Keel tries again in 3 s");
        second.InnerException.ShouldBeNull();
    }
}
