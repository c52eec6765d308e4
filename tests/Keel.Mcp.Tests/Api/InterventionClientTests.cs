using Microsoft.Extensions.DependencyInjection;
using Keel.Sdk.Api;
using Keel.Mcp.Tests.Fakes;
using Keel.Mcp.Tests.Live;
using Keel.Server;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Api;

/// <summary>The typed client's intervention calls against a real <c>keel serve</c> (Kestrel on 127.0.0.1, a SQLite file).</summary>
public sealed class InterventionClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_PauseHoldEditRelease_TheHostReceivesTheEditedTextOnTheStream()
    {
        var folder = Directory.CreateTempSubdirectory("keel-gate-");
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(folder.FullName, "keel.db")), TimeProvider = new ManualTime(LiveKeelServer.DomainTime) };
        options.Agents.Add(LiveKeelServer.Airline);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: Token);
        await server.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };
        try
        {
            var admin = new KeelGatewayClient(http, server.BootstrapAdminKey!);
            var agent = new KeelGatewayClient(http, (await admin.CreateKeyAsync(new CreateKeyRequest("bot", "agent", LiveKeelServer.Airline.AgentName), cancellationToken: Token)).Key);
            var supervisor = new KeelGatewayClient(http, (await admin.CreateKeyAsync(new CreateKeyRequest("dana", "operator"), cancellationToken: Token)).Key);
            var run = await agent.CreateRunAsync(new CreateRunRequest(Channel: "web"), cancellationToken: Token);

            (await agent.SendMessageAsync(run.Id, new AppendMessageRequest("assistant", "Hello!", Channel: "web"), cancellationToken: Token)).Delivery.ShouldBe("deliver");
            (await supervisor.PauseRunAsync(run.Id, "checking the refund amount", Token)).Status.ShouldBe("paused");
            var held = await agent.SendMessageAsync(run.Id, new AppendMessageRequest("assistant", "You will get 900 USD back."), cancellationToken: Token);
            held.Delivery.ShouldBe("held");
            (await supervisor.ListHeldRepliesAsync(run.Id, Token)).ShouldHaveSingleItem().Status.ShouldBe("pending");

            var decided = await supervisor.DecideHeldReplyAsync(run.Id, held.InterventionId!, "edit", "You will get 90 USD back.", cancellationToken: Token);
            await supervisor.ReleaseRunAsync(run.Id, cancellationToken: Token);

            decided.Status.ShouldBe("decided");
            decided.DecidedBy.ShouldBe("dana");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
            var received = new List<ApiDelivery>();
            await foreach (var delivery in agent.StreamDeliveriesAsync(run.Id, held.Sequence, stop.Token).WithCancellation(stop.Token))
            {
                received.Add(delivery);
                if (delivery.Type == "released")
                {
                    break;
                }
            }

            received.Select(d => d.Type).ShouldBe(["decision", "released"]);
            received[0].Text.ShouldBe("You will get 90 USD back.");
            received[0].InterventionId.ShouldBe(held.InterventionId);
            (await agent.PollDeliveriesAsync(run.Id, received[^1].Sequence, TimeSpan.Zero, Token)).Status.ShouldBe("active");
            (await agent.SendMessageAsync(run.Id, new AppendMessageRequest("assistant", "Anything else?"), cancellationToken: Token)).Delivery.ShouldBe("deliver");
            (await Should.ThrowAsync<KeelApiException>(() => agent.PauseRunAsync(run.Id, cancellationToken: Token))).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        }
        finally
        {
            await server.App.StopAsync(Token);
            await server.App.DisposeAsync();
            folder.Delete(recursive: true);
        }
    }
}
