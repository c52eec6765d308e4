using Microsoft.Extensions.Logging;

namespace Keel.Server.Hosting;

/// <summary>The lines <c>keel serve</c> writes on its console for what an operator should see happen: a held call, an escalation,
/// an approval decided, an intervention, a held reply. Information level, ids and names only: never message content, arguments or
/// tool output (those are in the run's events).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: call {CallId} to {Tool} held for approval {ApprovalId} (rule {RuleId})")]
    public static partial void CallHeld(this ILogger logger, string workspace, string run, string callId, string tool, string approvalId, string? ruleId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: call {CallId} to {Tool} escalated (rule {RuleId})")]
    public static partial void CallEscalated(this ILogger logger, string workspace, string run, string callId, string tool, string? ruleId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "approval {ApprovalId} in run {Workspace}/{Run}: {Decision} by {By}, now {Status}")]
    public static partial void ApprovalDecided(this ILogger logger, string approvalId, string workspace, string run, string decision, string by, string status);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: {Action} by {By}, now {Status}")]
    public static partial void Intervened(this ILogger logger, string workspace, string run, string action, string by, string status);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: reply held as {InterventionId} (run {Status})")]
    public static partial void ReplyHeld(this ILogger logger, string workspace, string run, string interventionId, string status);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: held reply {InterventionId} decided {Decision} by {By}")]
    public static partial void ReplyDecided(this ILogger logger, string workspace, string run, string interventionId, string decision, string by);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: operator message by {By}")]
    public static partial void OperatorMessage(this ILogger logger, string workspace, string run, string by);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "run {Workspace}/{Run}: handed off to {Team} ({Priority}) by {Rule}")]
    public static partial void HandedOff(this ILogger logger, string workspace, string run, string team, string priority, string rule);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "approval {ApprovalId} decided or expired, but the pause it put on run {Run} could not be ended yet (its next reply or an operator ends it): {Reason}")]
    public static partial void ApprovalPauseNotEnded(this ILogger logger, string approvalId, string run, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "approval {ApprovalId} in run {Workspace}/{Run}: expired undecided (call {CallId} to {Tool} stays refused)")]
    public static partial void ApprovalExpired(this ILogger logger, string approvalId, string workspace, string run, string tool, string callId);
}
