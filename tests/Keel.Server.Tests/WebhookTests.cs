using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Keel.Server.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task HeldCall_PostsASlackCompatibleMessageToTheWebhook()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = listener.GetContextAsync();
        await using var gateway = await new TestGateway(o => o.ApprovalWebhook = new Uri($"http://127.0.0.1:{port}/hook/")).StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var run = await agent.OpenRunAsync();

        var held = await agent.ProposeOkAsync(run, "c1", "refund_order", new { order_id = "A1", amount = 900 });

        var context = await received.WaitAsync(TimeSpan.FromSeconds(30));
        context.Request.HttpMethod.ShouldBe("POST");
        using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
        var text = body.RootElement.GetProperty("text").GetString()!;
        text.ShouldContain(held.ApprovalId());
        text.ShouldContain("refund_order");
        text.ShouldContain(held.GetProperty("decision").GetProperty("reason").GetString()!);
        context.Response.StatusCode = 200;
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
