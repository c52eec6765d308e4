using Keel.Storage;
using Keel.Versions;

namespace Keel.Triggers;

/// <summary>What the strongest fired trigger did to the registry.</summary>
/// <param name="Result">The fired trigger whose action was taken; <see langword="null"/> when none fired.</param>
/// <param name="Text">What happened, in words (the registry's history detail, or why nothing changed).</param>
/// <param name="Outcome">The registry's outcome when an action was attempted; <see langword="null"/> for an alert only, a pause with
/// no rollout to pause, or a dry run.</param>
public sealed record TriggerApplied(TriggerResult? Result, string Text, VersionOutcome? Outcome)
{
    /// <summary>Whether the registry was changed.</summary>
    public bool Changed => Outcome is { Succeeded: true };
}

/// <summary>Applies the action of the strongest fired trigger (<see cref="TriggerReport.Strongest"/>) through the registry port
/// (<see cref="IVersionRegistry"/>): <c>pause_rollout</c> and <c>rollback</c> both take the registry's rollback action — which, during a
/// staged rollout, sends the candidate back to validated, and otherwise releases again the version stable before the current one — with
/// actor <c>trigger:&lt;id&gt;</c> and the trigger's reason as the note, so the version history says which rule acted and why. The action
/// names the version the triggers judged (<see cref="VersionAction.IfCurrent"/>), and a pause only reverts a rollout
/// (<see cref="VersionAction.RolloutOnly"/>): the registry checks both in the transaction that applies it, so when an operator released,
/// reverted or rolled back in the minutes the drift measurement took, the trigger is refused (a conflict) rather than acting on a version
/// it never judged.</summary>
public static class TriggerActuator
{
    /// <summary>The actor recorded for a rule: <c>trigger:&lt;id&gt;</c>.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The actor.</returns>
    public static string Actor(TriggerRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return "trigger:" + rule.Id;
    }

    /// <summary>Applies (or, with <paramref name="dryRun"/>, describes) the strongest fired trigger's action.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agent">The agent whose version was watched.</param>
    /// <param name="watched">The version hash the triggers judged: the candidate in rollout when there was one, else the stable version.</param>
    /// <param name="report">The triggers' verdicts.</param>
    /// <param name="dryRun">Describe the action without taking it.</param>
    /// <param name="cancellationToken">Cancels the store calls.</param>
    /// <returns>What happened; a refusal of the registry (including the conflict when <paramref name="watched"/> no longer holds its place) is
    /// in <see cref="TriggerApplied.Outcome"/>, not thrown.</returns>
    /// <exception cref="StoreException">The store failed; nothing was changed.</exception>
    public static async Task<TriggerApplied> ApplyAsync(IVersionRegistry registry, string workspaceId, string agent, string watched, TriggerReport report, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(watched);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Strongest is not { } fired)
        {
            return new TriggerApplied(null, "no trigger fired", null);
        }

        var rule = fired.Rule;
        if (rule.Action == TriggerAction.Alert)
        {
            return new TriggerApplied(fired, $"alert only ({rule.Id})", null);
        }

        var versions = await registry.ListVersionsAsync(workspaceId, agent, cancellationToken).ConfigureAwait(false);
        var candidate = versions.FirstOrDefault(v => v.IsCandidate);
        if (rule.Action == TriggerAction.PauseRollout && candidate is null)
        {
            return new TriggerApplied(fired, $"{rule.Id} asks to pause the rollout, but agent '{agent}' has no staged rollout; alert only", null);
        }

        var what = candidate is not null ? $"revert the rollout of {candidate.Hash}" : $"roll agent '{agent}' back to the version stable before {versions.FirstOrDefault(v => v.IsStable)?.Hash ?? "(none)"}";
        if (dryRun)
        {
            return new TriggerApplied(fired, $"dry run: {rule.Id} ({TriggerRule.Name(rule.Action)}) would {what}", null);
        }

        var note = $"trigger {rule.Id} ({TriggerRule.Name(rule.Condition)}): {fired.Reason}";
        var outcome = await registry.ApplyVersionActionAsync(workspaceId, new VersionAction(VersionActionKind.Rollback, agent, null, Actor(rule), Note: note,
            IfCurrent: watched, RolloutOnly: rule.Action == TriggerAction.PauseRollout), cancellationToken).ConfigureAwait(false);
        return new TriggerApplied(fired, outcome.Succeeded ? outcome.Event!.Detail : $"{rule.Id} could not {what}: {outcome.Message}", outcome);
    }
}
