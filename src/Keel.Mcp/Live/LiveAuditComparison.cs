using System.Text.Json;
using Keel.Sdk.Api;
using Keel.Model;
using Keel.Replay;

namespace Keel.Mcp.Live;

/// <summary>Compares, call by call, the decisions of a live replay (<see cref="LiveReplayDriver"/>) with those of the audit replay of
/// the same runs under the same policies (<see cref="ReplayEngine"/>, <c>keel replay</c>), and says where a run's two histories
/// part (docs/live-replay.md).</summary>
/// <remarks>
/// <para><b>Why decisions can differ.</b> Keel decides a call from the policies, the conversation, the run's counters and clock, and
/// the results of the run's earlier calls (facts, provenance, progress). The first three are the same in both replays when the
/// server runs on the recording's clock; the results are not always: in audit mode the recorded result stands in for every call,
/// even one Keel denies or holds, while live a denied or held call does not run (<c>not_executed</c>) and the upstream answers
/// from its own state. So while every earlier result of a run agrees, Keel must decide the same way; after the first result that
/// does not (the run's <see cref="CallAgreement.DivergedAt"/>), a different decision is explained by that result.</para>
/// <para>Thread-safe: pure functions.</para>
/// </remarks>
public static class LiveAuditComparison
{
    /// <summary>Compares runs of both replays, matched by recorded run id, in the order of <paramref name="live"/>.</summary>
    /// <param name="audit">The audit replays.</param>
    /// <param name="live">The live replays.</param>
    /// <param name="sameAnswer">Whether a live tool output counts as the recorded one (recorded, live); the default is ordinal
    /// equality. Pass a known, documented difference of the upstream here (e.g. a renamed field nothing reads).</param>
    /// <returns>One entry per audited call of each matched run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="audit"/> or <paramref name="live"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A live run has no audit replay.</exception>
    public static IReadOnlyList<CallAgreement> Compare(IEnumerable<ReplayedRun> audit, IEnumerable<LiveReplayedRun> live, Func<string, string, bool>? sameAnswer = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(live);
        var byId = audit.ToDictionary(r => r.Recorded.Id, StringComparer.Ordinal);
        return [.. live.SelectMany(run => byId.TryGetValue(run.Recorded.Id, out var replayed)
            ? Compare(replayed, run, sameAnswer)
            : throw new ArgumentException($"live run '{run.Recorded.Id}' has no audit replay; replay the same runs in both modes.", nameof(audit)))];
    }

    /// <summary>Compares one run's calls in both replays, in order.</summary>
    /// <param name="audit">The run's audit replay.</param>
    /// <param name="live">The run's live replay.</param>
    /// <param name="sameAnswer">Whether a live tool output counts as the recorded one; the default is ordinal equality.</param>
    /// <returns>One entry per audited call; a call the live run never reached (it stopped early) has no live decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="audit"/> or <paramref name="live"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<CallAgreement> Compare(ReplayedRun audit, LiveReplayedRun live, Func<string, string, bool>? sameAnswer = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(live);
        sameAnswer ??= string.Equals;
        var agreements = new List<CallAgreement>(audit.Calls.Count);
        Divergence? diverged = null;
        for (var i = 0; i < audit.Calls.Count; i++)
        {
            var audited = audit.Calls[i];
            var auditKind = JsonNamingPolicy.SnakeCaseLower.ConvertName(audited.Decision.Kind.ToString());
            if (i >= live.Calls.Count)
            {
                diverged ??= new Divergence(i, audited.Call.Id, audited.Call.ToolName, $"the live run stopped before this call: {live.Error ?? "it has fewer calls"}");
                agreements.Add(new CallAgreement(live.RunId, i, audited.Call.Id, audited.Call.ToolName, auditKind, audited.Decision.RuleId, null, null, diverged));
                continue;
            }

            var outcome = live.Calls[i].Outcome;
            agreements.Add(new CallAgreement(live.RunId, i, audited.Call.Id, audited.Call.ToolName, auditKind, audited.Decision.RuleId,
                outcome.Decision.Kind, outcome.Decision.RuleId, diverged));
            diverged ??= Differs(i, audited, outcome, sameAnswer);
        }

        return agreements;
    }

    /// <summary>Whether the result the run's state took from this call differs between the replays, and how.</summary>
    private static Divergence? Differs(int index, AuditedCall audited, ApiToolCallOutcome live, Func<string, string, bool> sameAnswer)
    {
        var recordedStatus = LiveResults.Status(audited.Recorded?.Status ?? ToolResultStatus.NotExecuted);
        var liveStatus = live.Result.Status;
        string? why = null;
        if (liveStatus == ApiToolResult.NotExecuted && recordedStatus != ApiToolResult.NotExecuted)
        {
            why = $"not run live ({live.Decision.Kind}{(live.Decision.RuleId is { } rule ? $", {rule}" : string.Empty)}); the recording has its {recordedStatus} result";
        }
        else if (liveStatus != recordedStatus)
        {
            why = $"the upstream answered {liveStatus}; the recording has {recordedStatus}";
        }
        else if (liveStatus != ApiToolResult.NotExecuted && !sameAnswer(audited.Recorded!.Output, live.Result.Output ?? string.Empty))
        {
            why = "the upstream answered other text than the recording";
        }

        return why is null ? null : new Divergence(index, audited.Call.Id, audited.Call.ToolName, why);
    }
}

/// <summary>The first call of a run whose result differs between the audit and the live replay: from there on the run's state
/// (facts, provenance, progress) differs too.</summary>
/// <param name="CallIndex">The call's 0-based position among the run's governed calls.</param>
/// <param name="CallId">The call id.</param>
/// <param name="ToolName">The tool.</param>
/// <param name="Reason">How the results differ, e.g. <c>not run live (deny, airline.cancel.refundable); the recording has its success result</c>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Divergence(int CallIndex, string CallId, string ToolName, string Reason);

/// <summary>One call's decision in the audit and the live replay.</summary>
/// <param name="RunId">The live run id.</param>
/// <param name="CallIndex">The call's 0-based position among the run's governed calls.</param>
/// <param name="CallId">The call id.</param>
/// <param name="ToolName">The tool.</param>
/// <param name="AuditKind">The audit decision's kind, in the API's words (<see cref="ApiDecisionKinds"/>).</param>
/// <param name="AuditRuleId">The rule that decided in audit mode; <see langword="null"/> for a plain allow.</param>
/// <param name="LiveKind">The live decision's kind; <see langword="null"/> when the live run stopped before this call.</param>
/// <param name="LiveRuleId">The rule that decided live.</param>
/// <param name="DivergedAt">The run's first earlier call whose result differed; <see langword="null"/> while every earlier result agreed.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CallAgreement(string RunId, int CallIndex, string CallId, string ToolName, string AuditKind, string? AuditRuleId,
    string? LiveKind, string? LiveRuleId, Divergence? DivergedAt)
{
    /// <summary>Whether both replays decided the same kind with the same rule.</summary>
    public bool Identical => string.Equals(AuditKind, LiveKind, StringComparison.Ordinal) && string.Equals(AuditRuleId, LiveRuleId, StringComparison.Ordinal);

    /// <summary>Whether every earlier result of the run agreed, so the decision must be identical.</summary>
    public bool BeforeDivergence => DivergedAt is null;
}
