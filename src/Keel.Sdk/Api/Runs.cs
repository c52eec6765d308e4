using System.Text.Json;

namespace Keel.Sdk.Api;

/// <summary>The body of <c>POST /v1/runs</c>.</summary>
/// <param name="Id">The run id to use; <see langword="null"/> lets the server choose one.</param>
/// <param name="Channel">Where the run comes from, e.g. <c>api</c> or <c>mcp</c>; <see langword="null"/> means <c>api</c>.</param>
/// <param name="WorkflowClass">The workflow the run belongs to (what budgets and reports group by); <see langword="null"/> for none.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CreateRunRequest(string? Id = null, string? Channel = null, string? WorkflowClass = null);

/// <summary>A run as the API shows it (docs/gateway-api.md, "run").</summary>
/// <param name="Id">The run id.</param>
/// <param name="WorkspaceId">The workspace the run belongs to.</param>
/// <param name="Agent">The agent's name.</param>
/// <param name="AgentVersion">The agent version that governs the run.</param>
/// <param name="Status">One of <c>active</c>, <c>awaiting_approval</c>, <c>paused</c>, <c>taken_over</c>, <c>handed_off</c>, <c>completed</c>, <c>failed</c>, <c>stopped</c>.</param>
/// <param name="StartedAt">When the run was opened.</param>
/// <param name="EventCount">How many events the run has.</param>
/// <param name="Channel">Where the run comes from: <c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c>, <c>api</c>, <c>mcp</c>, or
/// <c>replay</c>; <see langword="null"/> from a server that does not say.</param>
/// <param name="Origin"><c>live</c> (opened through the gateway) or <c>replay</c> (stored by <c>keel replay</c>); <see langword="null"/>
/// from a server that does not say.</param>
/// <param name="Version">The agent version that serves the run and how it was chosen; <see langword="null"/> for a replayed or ingested
/// run, a run stored before versions were recorded, or a server that does not say.</param>
/// <param name="CustomerSentiment">The customer's sentiment now: the VADER compound score, in [−1, 1], of the run's last customer message
/// (what <c>sentiment_below</c> filters on); <see langword="null"/> for a run without customer messages, or from a server that does not say.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiRun(string Id, string WorkspaceId, string Agent, string AgentVersion, string Status, DateTimeOffset StartedAt, long EventCount,
    string? Channel = null, string? Origin = null, ApiRunVersion? Version = null, double? CustomerSentiment = null);

/// <summary>The agent version a run is served by (docs/versions.md, "Serving").</summary>
/// <param name="Hash">The version's content hash, <c>sha256:</c> and 64 hex digits; <see langword="null"/> for a configured bundle that
/// reads a file outside its folder.</param>
/// <param name="Arm"><c>stable</c> or <c>candidate</c> (a released version from the registry), or <c>configured</c> (the bundle the
/// server was started with).</param>
/// <param name="Bucket">The run's rollout bucket, 0–99: the run goes to a candidate released to N % when its bucket is below N.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiRunVersion(string? Hash, string Arm, int Bucket);

/// <summary>One stored event of a run (docs/gateway-api.md, "event").</summary>
/// <param name="Sequence">The event's position in the run, from 1.</param>
/// <param name="Kind">The event kind, e.g. <c>tool_call</c>, <c>decision</c>, <c>tool_result</c>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="PrevHash">The hash of the previous event (the chain that makes the log tamper-evident).</param>
/// <param name="Hash">This event's hash.</param>
/// <param name="Data">The event as stored (redacted).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiEvent(long Sequence, string Kind, DateTimeOffset Timestamp, string? PrevHash, string? Hash, JsonElement Data);

/// <summary>The body of <c>POST /v1/runs/{run_id}/messages</c>.</summary>
/// <param name="Role"><c>user</c>, <c>assistant</c> or <c>system</c>.</param>
/// <param name="Content">The message text.</param>
/// <param name="Usage">What producing the message cost; <see langword="null"/> when unknown.</param>
/// <param name="Channel"><c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c> or <c>api</c>: metadata on the message; <see langword="null"/> for none.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record AppendMessageRequest(string Role, string Content, ApiUsage? Usage = null, string? Channel = null);

/// <summary>What a model turn cost; recorded on the message event (<c>data.usage</c>) and counted against the budgets.</summary>
/// <param name="Tokens">Tokens used (prompt + completion): what the budgets count.</param>
/// <param name="CostUsd">Cost in US dollars.</param>
/// <param name="InputTokens">Input (prompt) tokens, when the model reported them; <see langword="null"/> leaves them out.</param>
/// <param name="OutputTokens">Output (completion) tokens, when the model reported them; <see langword="null"/> leaves them out.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiUsage(long Tokens, decimal CostUsd, long? InputTokens = null, long? OutputTokens = null);

/// <summary>The body of <c>POST /v1/runs/{run_id}/close</c>.</summary>
/// <param name="Status"><c>completed</c> or <c>failed</c>; <see langword="null"/> lets the server decide (<c>completed</c>).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CloseRunRequest(string? Status = null);

/// <summary>The answer of <c>POST /v1/runs/{run_id}/messages</c>: the message gate's verdict (docs/intervention.md).</summary>
/// <param name="Sequence">The sequence number of the event recorded (the message, or a held reply's <c>hold</c> event).</param>
/// <param name="Delivery"><c>deliver</c>: send the message on its channel now; <c>held</c>: do not send it, an operator decides
/// and the decision arrives on <see cref="KeelGatewayClient.StreamDeliveriesAsync"/> or <see cref="KeelGatewayClient.PollDeliveriesAsync"/>.</param>
/// <param name="InterventionId">For a held reply: its id, which the decision names.</param>
/// <param name="Status">The run's status: <c>active</c>, <c>awaiting_approval</c>, <c>paused</c> or <c>taken_over</c>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record AppendMessageResponse(long Sequence, string Delivery = "deliver", string? InterventionId = null, string? Status = null);

/// <summary><c>{"runs": [...], "next": …}</c>: the answer of <c>GET /v1/runs</c>.</summary>
/// <param name="Runs">The runs, newest first.</param>
/// <param name="Next">The cursor of the next page (send it back as <c>cursor=</c> with the same filters); <see langword="null"/> on the
/// last page, or from a server that does not page.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record RunList(IReadOnlyList<ApiRun> Runs, string? Next = null);

/// <summary><c>{"events": [...]}</c>: the answer of <c>GET /v1/runs/{run_id}/events</c>.</summary>
/// <param name="Events">The events in sequence order.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record EventList(IReadOnlyList<ApiEvent> Events);
