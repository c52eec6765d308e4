using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Keel.Sdk.Api;

/// <summary>A typed client of Keel's gateway HTTP API (<c>keel serve</c>, docs/gateway-api.md): runs, messages, tool calls, tools,
/// events, approvals and keys.</summary>
/// <remarks>
/// <para>Every <c>/v1/</c> request carries <c>Authorization: Bearer &lt;key&gt;</c>, set per request so a shared
/// <see cref="HttpClient"/> is never changed. Bodies are snake_case JSON (source-generated). A <c>POST</c> carries an
/// <c>Idempotency-Key</c> when one is given: a retry with the same key and body is answered with the first answer and runs
/// nothing twice. A tool call without one is keyed by the server by its run and call id.</para>
/// <para>Errors: a non-2xx answer throws <see cref="KeelApiException"/> with the server's RFC 7807 problem; a network failure
/// throws <see cref="HttpRequestException"/>; the <see cref="HttpClient.Timeout"/> elapsing throws <see cref="TaskCanceledException"/>.</para>
/// <para>Thread-safe: one instance may serve many concurrent requests (as <see cref="HttpClient"/> does).</para>
/// </remarks>
public sealed partial class KeelGatewayClient : Governance.IKeelGateway
{
    private readonly HttpClient _http;
    private readonly string _apiKey;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is the server, e.g. <c>http://127.0.0.1:5080/</c>.
    /// The caller owns it.</param>
    /// <param name="apiKey">The key, <c>keel_&lt;key id&gt;_&lt;secret&gt;</c>. Kept in memory only; never logged or put in a message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="httpClient"/> has no absolute base address, or <paramref name="apiKey"/> is empty or holds a line break.</exception>
    public KeelGatewayClient(HttpClient httpClient, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is not { IsAbsoluteUri: true })
        {
            throw new ArgumentException("Set HttpClient.BaseAddress to the Keel server, e.g. http://127.0.0.1:5080/.", nameof(httpClient));
        }

        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The API key is empty or holds a line break. Pass the key as issued: keel_<key id>_<secret>.", nameof(apiKey));
        }

        _http = httpClient;
        _apiKey = apiKey.Trim();
    }

    /// <inheritdoc />
    Task<ApiRun> Governance.IKeelGateway.OpenRunAsync(CreateRunRequest request, CancellationToken cancellationToken) =>
        CreateRunAsync(request, cancellationToken: cancellationToken);

    /// <inheritdoc />
    Task<ApiToolCallOutcome> Governance.IKeelGateway.ProposeToolCallAsync(string runId, ApiToolCall call, CancellationToken cancellationToken) =>
        ProposeToolCallAsync(runId, call, cancellationToken: cancellationToken);

    /// <inheritdoc />
    Task<ApiToolResultRecorded> Governance.IKeelGateway.ReportToolResultAsync(string runId, string callId, ApiToolResultReport result, CancellationToken cancellationToken) =>
        ReportToolResultAsync(runId, callId, result, cancellationToken: cancellationToken);

    /// <inheritdoc />
    Task<AppendMessageResponse> Governance.IKeelGateway.SendMessageAsync(string runId, AppendMessageRequest message, CancellationToken cancellationToken) =>
        SendMessageAsync(runId, message, cancellationToken: cancellationToken);

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>GET /health</c>: whether the server process answers (no key needed).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status word, <c>healthy</c>.</returns>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<string> GetHealthAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "health", null, null, KeelApiJsonContext.Default.HealthStatus, authenticate: false, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary><c>GET /ready</c>: whether the store is open and the upstream tool servers are connected (no key needed).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> for 200, <see langword="false"/> for 503.</returns>
    /// <exception cref="KeelApiException">The server answered another error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Get, "ready", null, null, KeelApiJsonContext.Default.HealthStatus, authenticate: false, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KeelApiException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return false;
        }
    }

    /// <summary><c>GET /v1/tools</c>: the tools this key may call (its agent version's tools).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The tools, in the server's order.</returns>
    /// <exception cref="KeelApiException">The server answered an error status (401: the key is unknown or revoked; 403: not an agent key).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiTool>> ListToolsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "v1/tools", null, null, KeelApiJsonContext.Default.ToolList, authenticate: true, cancellationToken).ConfigureAwait(false)).Tools;

    /// <summary>Sends a request and reads a JSON answer; a non-2xx answer throws <see cref="KeelApiException"/>.</summary>
    internal async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, HttpContent? content, string? idempotencyKey,
        JsonTypeInfo<TResponse> responseType, bool authenticate, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, idempotencyKey, authenticate, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false)
                ?? throw new KeelApiException(new ApiProblem("about:blank", "Invalid response", (int)response.StatusCode, $"{method} /{path} answered null"));
        }
        catch (JsonException ex)
        {
            throw new KeelApiException(new ApiProblem("about:blank", "Invalid response", (int)response.StatusCode, $"{method} /{path} answered a body that is not the documented JSON: {ex.Message}"), ex);
        }
    }

    /// <summary>Sends a request; a non-2xx answer throws <see cref="KeelApiException"/>. The caller disposes the answer.</summary>
    internal async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, string? idempotencyKey, bool authenticate, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new KeelApiException(await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync(KeelApiJsonContext.Default.ApiProblem, cancellationToken).ConfigureAwait(false);
            if (problem is not null && (problem.Title is not null || problem.Type is not null || problem.Detail is not null))
            {
                return problem with { Status = problem.Status ?? status };
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not a problem document (a proxy's page); made up below.
        }

        return new ApiProblem("about:blank", response.ReasonPhrase ?? response.StatusCode.ToString(), status, "the server answered without a problem document");
    }
}
