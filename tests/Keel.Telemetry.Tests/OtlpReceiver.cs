using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Keel.Telemetry.Tests;

/// <summary>A tiny OTLP/HTTP receiver on 127.0.0.1: accepts every POST, keeps path, content type and body, answers 200 with an empty
/// protobuf body (an empty <c>Export*ServiceResponse</c>, which means "all accepted").</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedExport> _received = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        // A free port: bind 0, read the port, release it, then listen there.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public IReadOnlyList<ReceivedExport> Received => [.. _received];

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop() then Close() looks the port up again and can fail when a parallel test took it.
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // stopping the listener ends the accept loop
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue(new ReceivedExport(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }
}

internal sealed record ReceivedExport(string Method, string Path, string? ContentType, byte[] Body)
{
    public bool Contains(string text) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
