using System.Security.Cryptography;
using System.Text.Json;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Approvals;

/// <summary>The approval record of a held call, built the same way by <c>keel serve</c>'s live gateway and the in-process gateway
/// (Keel.Sdk.InProcess), so a store holds one shape of approval whichever wrote it.</summary>
public static class HeldCallApproval
{
    /// <summary>Whether the pipeline's answer holds the call for a person: <c>require_approval</c>, or <c>require_plan</c> with a
    /// previewed plan (a plan whose preview failed holds the call with no approval to ask for).</summary>
    /// <param name="outcome">The pipeline's answer.</param>
    /// <param name="context">The call's context after the pipeline (its plan, if any).</param>
    /// <returns><see langword="true"/> when an approval must be found or created.</returns>
    public static bool IsHeld(ToolCallOutcome outcome, ToolCallContext context) =>
        outcome.Decision.Kind == DecisionKind.RequireApproval || (outcome.Decision.Kind == DecisionKind.RequirePlan && context.Plan is not null);

    /// <summary>A new pending approval for the held call: a fresh <c>apr_</c> id (64 random bits), the arguments in canonical JSON
    /// (as sent when they are not an object), the call's approval digest and, for a plan, the plan's patch and digest.</summary>
    /// <param name="run">The run the call belongs to.</param>
    /// <param name="context">The call's context after the pipeline.</param>
    /// <param name="decision">The decision that held it (its reason and rule are recorded).</param>
    /// <param name="stagesRequired">How many people must approve, at least 1.</param>
    /// <param name="timeout">How long the approval stays pending.</param>
    /// <param name="now">The request's clock reading (from its <see cref="TimeProvider"/>).</param>
    /// <returns>The approval, not yet stored; look for a pending one with the same digests first (<see cref="IApprovalStore.FindPendingAsync"/>).</returns>
    public static Approval Create(Run run, ToolCallContext context, Decision decision, int stagesRequired, TimeSpan timeout, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decision);
        return Build(run, context, decision, stagesRequired, timeout, now, DigestOf(context));
    }

    private static Approval Build(Run run, ToolCallContext context, Decision decision, int stagesRequired, TimeSpan timeout, DateTimeOffset now, string digest)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new()
        {
            Id = "apr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            WorkspaceId = run.WorkspaceId,
            RunId = run.Id,
            CallId = context.Call.Id,
            ToolName = context.Call.ToolName,
            ArgumentsJson = context.Arguments.ValueKind == JsonValueKind.Object ? CanonicalJson.Write(context.Arguments) : context.Call.ArgumentsJson,
            Digest = digest,
            PlanDigest = context.Plan?.Digest,
            PlanJson = context.Plan?.Patch.GetRawText(),
            Reason = decision.Reason,
            RuleId = decision.RuleId,
            StagesRequired = stagesRequired,
            RequestedAt = now,
            ExpiresAt = now + timeout,
        };
    }

    /// <summary>The approval a held call waits on: the pending one of the same call (by digest and plan digest) when the run already
    /// has it, so a retried call asks once, else a new one (<see cref="Create"/>) for the caller to commit with the run.</summary>
    /// <param name="approvals">The approval store.</param>
    /// <param name="run">The run.</param>
    /// <param name="context">The held call's context.</param>
    /// <param name="decision">The decision that held it.</param>
    /// <param name="stagesRequired">Approvals needed for a new one.</param>
    /// <param name="timeout">How long a new one stays pending.</param>
    /// <param name="now">The run's clock.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The approval and whether it is new (not stored yet).</returns>
    /// <exception cref="Storage.StoreException">The store could not be read.</exception>
    public static async Task<(Approval Approval, bool Created)> FindOrCreateAsync(IApprovalStore approvals, Run run, ToolCallContext context, Decision decision,
        int stagesRequired, TimeSpan timeout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(context);
        var digest = DigestOf(context);
        var pending = await approvals.FindPendingAsync(run.WorkspaceId, run.Id, digest, context.Plan?.Digest, now, cancellationToken).ConfigureAwait(false);
        return pending is null ? (Build(run, context, decision, stagesRequired, timeout, now, digest), true) : (pending, false);
    }

    /// <summary>The digest a held call's approval is bound to: the one the gate set, else <see cref="ApprovalDigest.For"/>.</summary>
    private static string DigestOf(ToolCallContext context) => context.ApprovalDigest ?? ApprovalDigest.For(context);
}
