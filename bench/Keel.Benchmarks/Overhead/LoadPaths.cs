using System.Text.Json;
using Keel.Gateway;
using Keel.Sdk.Api;
using Keel.Model;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Keel.Benchmarks.Overhead;

/// <summary>The tool call every path makes: <c>get_reservation_details</c>, walking through the database's reservation ids.</summary>
internal sealed class ReadCall(IReadOnlyList<string> reservationIds)
{
    public const string Tool = "get_reservation_details";

    private readonly Dictionary<string, JsonElement>[] _mcpArguments = [.. reservationIds.Select(id => new Dictionary<string, JsonElement>
    {
        ["reservation_id"] = JsonSerializer.SerializeToElement(id, OverheadJson.Default.String),
    })];

    private readonly JsonElement[] _apiArguments = [.. reservationIds.Select(id => JsonSerializer.SerializeToElement(
        new Dictionary<string, string> { ["reservation_id"] = id }, OverheadJson.Default.DictionaryStringString))];

    public IReadOnlyList<string> ReservationIds => reservationIds;

    public Dictionary<string, JsonElement> McpArguments(long sequence) => _mcpArguments[sequence % _mcpArguments.Length];

    public JsonElement ApiArguments(long sequence) => _apiArguments[sequence % _apiArguments.Length];
}

/// <summary>Direct: an MCP client calls keel-tau-tools over stdio (the MCP C# SDK's <c>tools/call</c>).</summary>
internal sealed class DirectPath(McpClient client, ReadCall call) : ILoadPath
{
    public string Name => "direct (MCP stdio → keel-tau-tools)";

    public async Task<bool> CallAsync(long sequence)
    {
        var result = await client.CallToolAsync(new CallToolRequestParams { Name = ReadCall.Tool, Arguments = call.McpArguments(sequence) }).ConfigureAwait(false);
        return result.IsError != true;
    }
}

/// <summary>Through Keel: HTTP POST of the call to the gateway on 127.0.0.1 (auth, idempotency, the pipeline, SQLite, the upstream).
/// Calls are spread over a pool of runs so that no call waits for another's run lock, and each run gets <c>callsPerRun</c> calls (the
/// agent's budget allows 30) on distinct reservations (the loop guard stops repeats).</summary>
internal sealed class KeelPath(string name, string runPrefix, KeelGatewayClient client, ReadCall call, int callsPerRun, int pool = 64) : ILoadPath
{
    private int _created;

    public string Name => name;

    public string RunPrefix => runPrefix;

    public async Task<bool> CallAsync(long sequence)
    {
        var outcome = await client.ProposeToolCallAsync(Run(sequence), new ApiToolCall($"{runPrefix}-{sequence}", ReadCall.Tool, call.ApiArguments(sequence))).ConfigureAwait(false);
        return outcome.Decision.Kind == ApiDecisionKinds.Allow && outcome.Result.Status == ApiToolResult.Success;
    }

    /// <summary>Opens every run that calls up to <paramref name="lastSequence"/> need (before the clock starts).</summary>
    public async Task EnsureRunsAsync(long lastSequence)
    {
        var needed = RunIndex(lastSequence) + pool;
        for (; _created < needed; _created++)
        {
            await client.CreateRunAsync(new CreateRunRequest($"{runPrefix}-{_created}")).ConfigureAwait(false);
        }
    }

    private string Run(long sequence) => $"{runPrefix}-{RunIndex(sequence)}";

    private long RunIndex(long sequence) => (sequence % pool) + (pool * (sequence / (pool * (long)callsPerRun)));
}

/// <summary>The gateway's executor: runs whose id starts with <c>noop-</c> are answered in-process with the tool server's answer for
/// the reservation, captured before the measurement (Keel's own cost, with the same payloads); every other run goes to keel-tau-tools.</summary>
internal sealed class RoutingExecutor(IToolExecutor upstream, IReadOnlyDictionary<string, string> answers) : IToolExecutor
{
    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken) =>
        context.State.Run.Id.StartsWith("noop-", StringComparison.Ordinal)
            ? ValueTask.FromResult(new ToolResult(context.Call.Id, ToolResultStatus.Ok, answers[context.Arguments.GetProperty("reservation_id").GetString()!]))
            : upstream.ExecuteAsync(context, cancellationToken);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class OverheadJson : System.Text.Json.Serialization.JsonSerializerContext;
