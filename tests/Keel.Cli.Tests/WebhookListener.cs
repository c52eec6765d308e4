using System.Net;
using System.Net.Sockets;

namespace Keel.Cli.Tests;

/// <summary>A webhook on 127.0.0.1 that records the first POST body.</summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();

    public WebhookListener()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public TaskCompletionSource<string> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ServeAsync()
    {
        try
        {
            var context = await _listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = context.Request.HttpMethod == "POST" && context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? 200 : 400;
            context.Response.Close();
            // Only a POST of JSON counts as the alert: anything else is not what a Slack-compatible webhook takes.
            if (context.Response.StatusCode == 200)
            {
                Received.TrySetResult(body);
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped before a POST arrived.
        }
    }

    public void Dispose() => _listener.Close();
}
