using System.Text.Json;
using Keel.Approvals;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Storage;
using Keel.Versions;

namespace Keel.Server.Runs;

/// <summary>Maps runs to the wire contract the server and the SDK share (<see cref="ApiRun"/>, defined once in <c>Keel.Sdk.Api</c>).</summary>
internal static class RunContracts
{
    /// <summary>A run as the API shows it.</summary>
    public static ApiRun ToApi(Run run) =>
        new(run.Id, run.WorkspaceId, run.AgentName, run.AgentVersion, RunEventJson.EnumName(run.Status), run.StartedAt, run.Events.Count, run.Channel, run.Origin,
            ToApi(run.Version), RunListingValues.CustomerSentiment(run));

    /// <summary>Maps a run's version assignment; <see langword="null"/> stays <see langword="null"/>.</summary>
    public static ApiRunVersion? ToApi(VersionAssignment? version) => version is null ? null : new(version.Hash, version.Arm, version.Bucket);
}

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
