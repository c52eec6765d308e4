using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keel.Mcp.Tests.Fakes;

/// <summary>A request as the fake server saw it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A canned answer.</summary>
internal sealed record FakeResponse(int Status, string? Body = null, string ContentType = "application/json")
{
    public static FakeResponse Json(int status, string body) => new(status, body);

    public static FakeResponse Problem(int status, string type, string title, string detail) =>
        new(status, $$"""{"type":"{{type}}","title":"{{title}}","status":{{status}},"detail":"{{detail}}"}""", "application/problem+json");
}

/// <summary>A real HTTP server (HttpListener on 127.0.0.1, a free port) that records every request and answers with a canned response.</summary>
/// <remarks>HttpListener rather than Kestrel: the ASP.NET Core shared framework would shadow the MCP SDK's logging assembly in the
/// test output, where the keel-tau-tools upstream runs from.</remarks>
internal sealed class FakeKeelServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<RecordedRequest, FakeResponse> _respond;
    private readonly Task _loop;

    private FakeKeelServer(HttpListener listener, Uri baseAddress, Func<RecordedRequest, FakeResponse> respond)
    {
        _listener = listener;
        _respond = respond;
        BaseAddress = baseAddress;
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static FakeKeelServer Start(Func<RecordedRequest, FakeResponse> respond)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeKeelServer(listener, new Uri($"http://127.0.0.1:{port}/"), respond);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>A port nothing listens on (bound then released).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public IReadOnlyList<RecordedRequest> Matching(string method, string pathPrefix) =>
        [.. Requests.Where(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop() then Close() makes the managed listener look its port up again on Close, which fails with
        // "Address already in use" when a parallel test has taken the port in between.
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body);
        Requests.Enqueue(recorded);
        var response = _respond(recorded);
        context.Response.StatusCode = response.Status;
        if (response.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentType = response.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }

        context.Response.Close();
    }
}
