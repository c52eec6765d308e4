using System.Net;
using System.Text.Json;
using Keel.Sdk.Api;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Keel.Mcp;

/// <summary>One MCP session of <see cref="KeelMcpGateway"/>: lists the key's tools, proposes each call through the gateway API
/// in the session's run (opened on the first call), and closes the run when the session ends. Thread-safe: MCP clients may
/// send calls concurrently.</summary>
internal sealed class GatewaySession(KeelGatewayClient client, KeelMcpGatewayOptions options, ILogger logger, TimeProvider time) : IDisposable
{
    private static readonly JsonElement _anyObject = JsonElement.Parse("""{"type":"object"}""");

    private readonly SemaphoreSlim _runLock = new(1, 1);
    private readonly string _sessionKey = $"mcp_{Guid.NewGuid():N}";
    private string? _runId;
    private IReadOnlyList<ApiTool>? _catalog;

    public string? RunId => Volatile.Read(ref _runId);

    public async ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiTool> tools;
        try
        {
            tools = await WithRetriesAsync(() => client.ListToolsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KeelApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new McpProtocolException($"Keel could not list the tools: {Unreachable(ex)}", ex, McpErrorCode.InternalError);
        }

        // The catalog a call to keel_approval_status is checked against is the one the host was last shown.
        Volatile.Write(ref _catalog, tools);

        var listed = tools.Select(t => new Tool
        {
            Name = t.Name,
            Description = t.Description,
            InputSchema = t.InputSchema.ValueKind == JsonValueKind.Object ? t.InputSchema : _anyObject,
            Annotations = Annotations(t),
        }).ToList();
        if (!listed.Exists(t => t.Name == ApprovalStatusTool.Name))
        {
            listed.Add(ApprovalStatusTool.Definition);
        }

        return new ListToolsResult { Tools = listed };
    }

    /// <summary>MCP tool annotations from the catalog: <c>read</c> → <c>readOnlyHint</c>; <c>write</c> → <c>destructiveHint</c>;
    /// <c>generic</c> (calculate, think, transfer) → neither; <c>x-idempotent</c> → <c>idempotentHint</c>. Hints only: Keel's policies
    /// decide every call whatever a client makes of them.</summary>
    internal static ToolAnnotations? Annotations(ApiTool tool) => tool.Type is null && tool.Idempotent is null
        ? null
        : new ToolAnnotations
        {
            ReadOnlyHint = tool.Type is null ? null : tool.Type == "read",
            DestructiveHint = tool.Type is null or "read" ? null : tool.Type == "write",
            IdempotentHint = tool.Idempotent,
        };

    public async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new McpProtocolException("tools/call needs a tool name", McpErrorCode.InvalidParams);
        }

        var call = new ApiToolCall($"mcp_{Guid.NewGuid():N}", name, Arguments(request.Params!.Arguments));
        try
        {
            if (name == ApprovalStatusTool.Name && !await IsCatalogToolAsync(name, cancellationToken).ConfigureAwait(false))
            {
                return await ApprovalStatusAsync(request.Params.Arguments, cancellationToken).ConfigureAwait(false);
            }

            var runId = await EnsureRunAsync(cancellationToken).ConfigureAwait(false);
            var outcome = await WithRetriesAsync(() => client.ProposeToolCallAsync(runId, call, call.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
            return OutcomeText.ToResult(outcome);
        }
        catch (Exception ex) when (ex is KeelApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            McpLog.GatewayCallFailed(logger, ex, name);
            return OutcomeText.Text($"Keel could not take this call, so it may not have run: {Unreachable(ex)}", isError: true);
        }
    }

    private async Task<bool> IsCatalogToolAsync(string name, CancellationToken cancellationToken)
    {
        var tools = _catalog ??= await WithRetriesAsync(() => client.ListToolsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return tools.Any(t => t.Name == name);
    }

    private async Task<CallToolResult> ApprovalStatusAsync(IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        if (ApprovalStatusTool.ApprovalId(arguments) is not { } approvalId)
        {
            return OutcomeText.Text("keel_approval_status needs approval_id: the id Keel named when it held the call (apr_...).", isError: true);
        }

        try
        {
            var approval = await WithRetriesAsync(() => client.GetApprovalAsync(approvalId, cancellationToken), cancellationToken).ConfigureAwait(false);
            return OutcomeText.Text(ApprovalStatusTool.Describe(approval), isError: false);
        }
        catch (KeelApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return OutcomeText.Text($"Keel knows no approval {approvalId} for this agent. Use the id from Keel's message about the held call.", isError: true);
        }
    }

    /// <summary>Closes the session's run, if one was opened; never throws.</summary>
    public async Task CloseAsync()
    {
        var runId = RunId;
        if (runId is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(options.CloseTimeout, time);
        try
        {
            await WithRetriesAsync(() => client.CloseRunAsync(runId, "completed", $"{_sessionKey}_close", timeout.Token), timeout.Token).ConfigureAwait(false);
            McpLog.RunClosed(logger, runId);
        }
        catch (Exception ex) when (ex is KeelApiException or HttpRequestException or OperationCanceledException)
        {
            McpLog.RunCloseFailed(logger, ex, runId);
        }
    }

    public void Dispose() => _runLock.Dispose();

    private async Task<string> EnsureRunAsync(CancellationToken cancellationToken)
    {
        if (RunId is { } open)
        {
            return open;
        }

        await _runLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (RunId is { } opened)
            {
                return opened;
            }

            var request = new CreateRunRequest(Channel: options.Channel, WorkflowClass: options.WorkflowClass);
            var run = await WithRetriesAsync(() => client.CreateRunAsync(request, $"{_sessionKey}_open", cancellationToken), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _runId, run.Id);
            McpLog.RunOpened(logger, run.Id);
            return run.Id;
        }
        finally
        {
            _runLock.Release();
        }
    }

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < options.MaxRetries && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.RetryDelay * Math.Pow(2, attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        HttpRequestException or TaskCanceledException => true,
        // An operator's takeover lasts until they release the run: retrying at once would not help (docs/intervention.md).
        KeelApiException { Problem.Type: "urn:keel:problem:run-taken-over" } => false,
        KeelApiException api => api.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    private static string Unreachable(Exception ex) => ex switch
    {
        KeelApiException { Problem.Type: "urn:keel:problem:run-taken-over" } api => $"an operator has taken this conversation over; the tool was not called ({api.Problem.Detail})",
        KeelApiException api => $"the Keel server refused the request: {api.Message}",
        TaskCanceledException => "the Keel server did not answer in time (temporarily unavailable); try again later",
        _ => "the Keel server is unreachable (temporarily unavailable); try again later",
    };

    private static JsonElement Arguments(IDictionary<string, JsonElement>? arguments) =>
        JsonSerializer.SerializeToElement(arguments ?? new Dictionary<string, JsonElement>(), KeelApiJsonContext.Default.IDictionaryStringJsonElement);
}
