using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Sdk.Api;

/// <summary>A proposed tool call: the body of <c>POST /v1/runs/{run_id}/tool-calls</c>.</summary>
/// <param name="Id">The call id; also the default <c>Idempotency-Key</c>.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments, a JSON object.</param>
/// <param name="ParallelIndex">0-based position among the calls of one assistant turn; <see langword="null"/> means 0.</param>
/// <param name="ParallelCount">How many calls the turn proposed; <see langword="null"/> means 1.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiToolCall(string Id, string Name, JsonElement Arguments, int? ParallelIndex = null, int? ParallelCount = null);

/// <summary>What Keel did with a proposed call (docs/gateway-api.md, "tool-call outcome").</summary>
/// <param name="CallId">The call it answers.</param>
/// <param name="Decision">What Keel decided and why.</param>
/// <param name="Result">What the tool answered, or that it did not run.</param>
/// <param name="Approval">The approval that holds the call (<c>require_approval</c>, or <c>require_plan</c> with a plan); <see langword="null"/> otherwise.</param>
/// <param name="Plan">The call's dry-run plan; only when one was made.</param>
/// <param name="Failure">How the failure is classified; only when the call failed or was stopped.</param>
/// <param name="PlanError">Why the plan preview failed, when it did (the call stays held, with no approval to ask for); <see langword="null"/> otherwise.</param>
/// <remarks>Immutable and thread-safe. The one definition of the answer: the server writes it, the SDK reads it.</remarks>
public sealed record ApiToolCallOutcome(string CallId, ApiDecision Decision, ApiToolResult Result, ApiApproval? Approval = null, ApiPlan? Plan = null, ApiFailure? Failure = null,
    string? PlanError = null);

/// <summary>A decision about a call.</summary>
/// <param name="Kind">One of <see cref="ApiDecisionKinds"/>.</param>
/// <param name="Stage">The pipeline stage that decided, e.g. <c>policy</c>, <c>schema</c>, <c>budget</c>.</param>
/// <param name="RuleId">The rule that decided; <see langword="null"/> for a plain allow.</param>
/// <param name="PolicyVersion">The policy set's version; <see langword="null"/> when no policy rule decided.</param>
/// <param name="Reason">A sentence a person (and the model) can read.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiDecision(string Kind, string Stage, string? RuleId, string? PolicyVersion, string Reason);

/// <summary>The decision kinds of <see cref="ApiDecision.Kind"/>, least to most restrictive.</summary>
public static class ApiDecisionKinds
{
    /// <summary>The call ran.</summary>
    public const string Allow = "allow";

    /// <summary>The call needs a reviewed dry-run plan first.</summary>
    public const string RequirePlan = "require_plan";

    /// <summary>The call is held until a person approves it.</summary>
    public const string RequireApproval = "require_approval";

    /// <summary>The call is stopped and the run handed to a person.</summary>
    public const string Escalate = "escalate";

    /// <summary>The call is refused.</summary>
    public const string Deny = "deny";
}

/// <summary>A tool's answer.</summary>
/// <param name="Status"><c>success</c>, <c>error</c> or <c>not_executed</c>.</param>
/// <param name="Output">The tool's output or error text; why it did not run for <c>not_executed</c>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiToolResult(string Status, string? Output)
{
    /// <summary><see cref="Status"/> of a call that ran and succeeded.</summary>
    public const string Success = "success";

    /// <summary><see cref="Status"/> of a call that ran and failed.</summary>
    public const string Error = "error";

    /// <summary><see cref="Status"/> of a call that did not run.</summary>
    public const string NotExecuted = "not_executed";
}

/// <summary>The body of <c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>: what the host's function returned.</summary>
/// <param name="Status"><see cref="ApiToolResult.Success"/> or <see cref="ApiToolResult.Error"/>.</param>
/// <param name="Output">The function's result as text (JSON or plain text), or its error text.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiToolResultReport(string Status, string Output);

/// <summary>The answer of <c>POST /v1/runs/{run_id}/tool-calls/{call_id}/result</c>.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Sequence">The sequence number of the call's host result event.</param>
/// <param name="Status"><c>success</c> or <c>error</c>, as recorded.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiToolResultRecorded(string CallId, long Sequence, string Status);

/// <summary>A dry-run plan: what the call would change, as a JSON Patch (RFC 6902).</summary>
/// <param name="Patch">The operations, in order, from the records' state now to their state after the call.</param>
/// <param name="Digest">The plan's digest, <c>sha256:</c> of the canonical patch; the approval is bound to it.</param>
/// <param name="Summary">One line per change, for people; <see langword="null"/> from a server that does not say.</param>
/// <param name="PreviewTool">The preview tool that produced the plan; <see langword="null"/> from a server that does not say.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiPlan(IReadOnlyList<ApiPatchOperation> Patch, string? Digest, IReadOnlyList<string>? Summary = null, string? PreviewTool = null);

/// <summary>One JSON Patch operation (RFC 6902).</summary>
/// <param name="Op"><c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> or <c>test</c>.</param>
/// <param name="Path">The JSON Pointer it applies to, e.g. <c>/status</c>.</param>
/// <param name="Value">The new value; absent for <c>remove</c>, <c>move</c> and <c>copy</c>.</param>
/// <param name="From">The source pointer of <c>move</c> and <c>copy</c>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiPatchOperation(string Op, string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? From = null)
{
    /// <summary>Reads a stored patch (a JSON array of operations) exactly: a <c>value</c> that is JSON <c>null</c> stays a null
    /// element, an absent one stays absent.</summary>
    /// <param name="patch">The patch, an RFC 6902 array.</param>
    /// <returns>The operations in order; empty when <paramref name="patch"/> is not an array.</returns>
    public static IReadOnlyList<ApiPatchOperation> Parse(JsonElement patch) => patch.ValueKind != JsonValueKind.Array ? [] :
    [
        .. patch.EnumerateArray().Select(op => new ApiPatchOperation(
            Text(op, "op") ?? string.Empty, Text(op, "path") ?? string.Empty,
            op.TryGetProperty("value", out var value) ? value.Clone() : null, Text(op, "from"))),
    ];

    private static string? Text(JsonElement op, string name) =>
        op.ValueKind == JsonValueKind.Object && op.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>How a failed or stopped call is classified (Keel's failure taxonomy).</summary>
/// <param name="Class">The failure class, e.g. <c>policy</c>, <c>tool_transient</c>.</param>
/// <param name="Disposition">What happens next: <c>retry</c>, <c>safe_stop</c>, <c>escalate</c>, ….</param>
/// <param name="Message">A sentence a person can read.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiFailure(string Class, string Disposition, string Message);

/// <summary>A tool the key may call (<c>GET /v1/tools</c>).</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">The description shown to the model.</param>
/// <param name="InputSchema">The JSON Schema of the arguments.</param>
/// <param name="Type">What the tool does to data, from the catalog's <c>x-tool-type</c>: <c>read</c>, <c>write</c> or <c>generic</c>;
/// <see langword="null"/> from a server that does not say.</param>
/// <param name="Idempotent">Whether calling it twice with the same arguments has the effect of once (the catalog's <c>x-idempotent</c>);
/// <see langword="null"/> from a server that does not say.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiTool(string Name, string? Description, JsonElement InputSchema, string? Type = null, bool? Idempotent = null);

/// <summary><c>{"tools": [...]}</c>: the answer of <c>GET /v1/tools</c>, written by the server with this same type.</summary>
/// <param name="Tools">The tools.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ToolList(IReadOnlyList<ApiTool> Tools);
