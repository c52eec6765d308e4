using System.Text.Json;
using Keel.Approvals;
using Keel.Model;
using Keel.Storage;

namespace Keel.Server.Runs;

/// <summary>Body of <c>POST /v1/runs</c>.</summary>
/// <param name="Id">The run id; a new one (<c>run_…</c>) when absent.</param>
/// <param name="Channel">One of web, email, whatsapp, phone, api, mcp (a run opened by keel mcp). The default is api.</param>
/// <param name="WorkflowClass">The workflow class, e.g. the domain.</param>
public sealed record CreateRunRequest(string? Id, string? Channel, string? WorkflowClass);

/// <summary>Model usage reported with a message; stored on the message event (<c>data.usage</c>).</summary>
/// <param name="Tokens">Model tokens counted against the budgets (input + output).</param>
/// <param name="CostUsd">Model cost in USD.</param>
/// <param name="InputTokens">Input (prompt) tokens, when the model reported them.</param>
/// <param name="OutputTokens">Output (completion) tokens, when the model reported them.</param>
public sealed record UsageDto(long Tokens, decimal CostUsd, long? InputTokens = null, long? OutputTokens = null);

/// <summary>Body of <c>POST /v1/runs/{run_id}/messages</c>.</summary>
/// <param name="Role">user, assistant or system.</param>
/// <param name="Content">The text.</param>
/// <param name="Usage">The model usage of producing it (assistant messages), reserved against the budgets.</param>
/// <param name="Channel">Optional: web, email, whatsapp, phone or api — metadata on the message; the gate works the same for all.</param>
public sealed record AppendMessageRequest(string? Role, string? Content, UsageDto? Usage, string? Channel = null);

/// <summary>Answer of <c>POST /v1/runs/{run_id}/messages</c>: the message gate's verdict (docs/intervention.md).</summary>
/// <param name="Sequence">The sequence number of the event recorded: the message, or for a held reply its <c>hold</c> event.</param>
/// <param name="Delivery"><c>deliver</c> (send it on its channel now) or <c>held</c> (do not send it: an operator decides, and the
/// decision arrives on <c>GET /v1/runs/{run_id}/stream</c> or <c>/deliveries</c>). Only assistant replies are ever held.</param>
/// <param name="InterventionId">For a held reply: its id, which the decision names.</param>
/// <param name="Status">The run's status: <c>active</c>, <c>awaiting_approval</c>, <c>paused</c> or <c>taken_over</c>.</param>
public sealed record AppendMessageResponse(long Sequence, string Delivery = "deliver", string? InterventionId = null, string Status = "active");

/// <summary>Body of <c>POST /v1/runs/{run_id}/tool-calls</c>.</summary>
/// <param name="Id">The call id from the model.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments: a JSON object (or a string holding one, as some models send).</param>
/// <param name="ParallelIndex">Position among the calls of the same assistant turn.</param>
/// <param name="ParallelCount">How many calls the turn proposed.</param>
public sealed record ProposeToolCallRequest(string? Id, string? Name, JsonElement Arguments, int? ParallelIndex, int? ParallelCount);

/// <summary>Body of <c>POST /v1/runs/{run_id}/close</c>.</summary>
/// <param name="Status">completed (default) or failed.</param>
public sealed record CloseRunRequest(string? Status);

/// <summary>A run.</summary>
/// <param name="Id">Run id.</param>
/// <param name="WorkspaceId">Its workspace.</param>
/// <param name="Agent">Agent name.</param>
/// <param name="AgentVersion">Agent version.</param>
/// <param name="Status">active, completed or failed.</param>
/// <param name="StartedAt">Start time.</param>
/// <param name="EventCount">Events recorded.</param>
/// <param name="Channel">The channel the run was opened on; <c>replay</c> for a run <c>keel replay</c> stored in the same database.</param>
/// <param name="Origin"><c>live</c> (through the gateway) or <c>replay</c> (replayed from a recording in audit mode).</param>
public sealed record RunDto(string Id, string WorkspaceId, string Agent, string AgentVersion, string Status, DateTimeOffset StartedAt, int EventCount, string Channel, string Origin)
{
    /// <summary>Maps a run.</summary>
    public static RunDto From(Run run) => new(run.Id, run.WorkspaceId, run.AgentName, run.AgentVersion, RunEventJson.EnumName(run.Status), run.StartedAt, run.Events.Count, run.Channel, run.Origin);
}

/// <summary>A list of runs.</summary>
public sealed record RunListDto(IReadOnlyList<RunDto> Runs);

/// <summary>A decision.</summary>
public sealed record DecisionDto(string Kind, string Stage, string? RuleId, string? PolicyVersion, string Reason)
{
    /// <summary>Maps a decision.</summary>
    public static DecisionDto From(Decision d) => new(RunEventJson.EnumName(d.Kind), d.Stage, d.RuleId, d.PolicyVersion, d.Reason);
}

/// <summary>A tool result.</summary>
/// <param name="Status"><c>success</c>, <c>error</c> or <c>not_executed</c>.</param>
/// <param name="Output">The tool's output text, or why it did not run.</param>
public sealed record ResultDto(string Status, string Output)
{
    /// <summary>The status's name in the API.</summary>
    public static string StatusName(ToolResultStatus status) => status switch
    {
        ToolResultStatus.Ok => "success",
        ToolResultStatus.Error => "error",
        _ => "not_executed",
    };
}

/// <summary>A classified failure.</summary>
public sealed record FailureDto(string Class, string Disposition, string Message);

/// <summary>An approval as the API shows it.</summary>
public sealed record ApprovalDto(
    string Id, string RunId, string CallId, string Tool, JsonElement Arguments, string Digest, string Status, string Reason, string? RuleId,
    int StagesRequired, IReadOnlyList<ApprovalStageDto> Stages, JsonElement? Plan, string? PlanDigest, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Maps an approval as seen at <paramref name="now"/> (expiry shown).</summary>
    public static ApprovalDto From(Approval a, DateTimeOffset now) => new(
        a.Id, a.RunId, a.CallId, a.ToolName, Json.Parse(a.ArgumentsJson), a.Digest, RunEventJson.EnumName(a.StatusAt(now)), a.Reason, a.RuleId, a.StagesRequired,
        [.. a.Stages.Select(s => new ApprovalStageDto(s.By, s.Approved ? "approve" : "deny", s.Note, s.At))],
        a.PlanJson is null ? null : Json.Parse(a.PlanJson), a.PlanDigest, a.RequestedAt, a.ExpiresAt);
}

/// <summary>One person's decision on an approval.</summary>
public sealed record ApprovalStageDto(string By, string Decision, string? Note, DateTimeOffset At);

/// <summary>The answer to a proposed tool call.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Decision">Keel's decision.</param>
/// <param name="Result">The tool's result (<c>not_executed</c> when the call was stopped or held).</param>
/// <param name="Approval">The approval that holds the call, when it needs one.</param>
/// <param name="Failure">The classified failure, if any.</param>
/// <param name="Plan">For a call that needs a plan: the previewed diff the approval shows and binds.</param>
/// <param name="PlanError">Why the preview failed, when it did (the call stays held, with no approval to ask for).</param>
public sealed record ToolCallOutcomeDto(string CallId, DecisionDto Decision, ResultDto Result, ApprovalDto? Approval, FailureDto? Failure, PlanDto? Plan = null, string? PlanError = null);

/// <summary>A previewed diff (plan-then-apply).</summary>
/// <param name="Patch">The RFC 6902 JSON Patch from the records' state now to their state after the call.</param>
/// <param name="Digest">sha256 of the canonical patch; the approval is bound to it.</param>
/// <param name="Summary">One line per change, for people.</param>
/// <param name="PreviewTool">The preview tool that produced it.</param>
public sealed record PlanDto(JsonElement Patch, string Digest, IReadOnlyList<string> Summary, string PreviewTool);

/// <summary>A stored event.</summary>
/// <param name="Sequence">1-based position in the run.</param>
/// <param name="Kind">The event kind, e.g. <c>tool_call</c>.</param>
/// <param name="Timestamp">When it happened (the run's clock).</param>
/// <param name="Data">The event as stored (redacted).</param>
/// <param name="PrevHash">The hash of the run's previous event (the chain link), <c>sha256:…</c>.</param>
/// <param name="Hash">This record's hash.</param>
public sealed record EventDto(long Sequence, string Kind, DateTimeOffset Timestamp, JsonElement Data, string? PrevHash, string? Hash);

/// <summary>A list of events.</summary>
public sealed record EventListDto(IReadOnlyList<EventDto> Events);

/// <summary>JSON helpers for the DTOs.</summary>
internal static class Json
{
    public static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
