using Keel.Model;

namespace Keel.Versions;

/// <summary>The version state machine as pure code: given an agent's registered versions and an action, the records that change
/// and the history entry (without its sequence and hashes, which <see cref="VersionHistory.Next"/> adds), or a refusal. Every store
/// applies it inside one write transaction, so the check and the change are atomic. Thread-safe.</summary>
/// <remarks>
/// <para>States: draft → validated → released → retired. At most one stable version per agent (released, 100 %) and at most one
/// candidate (released, 1–99 %); a candidate needs a stable version beside it. Release at 100 % retires every other released
/// version. Rollback reverts a candidate to validated, or (with no candidate) retires the stable version and releases again the
/// version that was stable before it in the agent's history (<see cref="StableChain"/>) — or the one named, when it is validated or
/// retired.</para>
/// </remarks>
public static class VersionLifecycle
{
    /// <summary>Plans the registration of new content: the draft record and its history entry (chain fields left for the store).</summary>
    /// <param name="agent">The loaded version.</param>
    /// <param name="content">Its files and hash.</param>
    /// <param name="actor">Who registers it.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="now">The time of the change (the store's clock).</param>
    /// <returns>The draft and the <c>register</c> entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> or <paramref name="content"/> is <see langword="null"/>.</exception>
    public static (VersionRecord Record, VersionEvent Event) Register(AgentVersion agent, BundleContent content, string actor, string? note, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(content);
        var record = new VersionRecord(agent.AgentName, content.Hash, agent.Version, agent.Model, AgentVersionState.Draft, null, now, actor, note, null);
        var detail = $"registered {record.Hash} ({record.Label}, model {record.Model}, {content.Files.Count} files) as a draft" + (note is { Length: > 0 } ? $" — {note}" : "");
        return (record, new VersionEvent("", 0, record.Agent, "register", record.Hash, actor, now, detail, "", ""));
    }

    /// <summary>Whether <see cref="Plan"/> reads the history for an action: only a rollback without a named version does (it goes back
    /// along the chain of stable releases), so the stores read the agent's history, which only grows, for that action alone.</summary>
    /// <param name="action">The action.</param>
    /// <returns>Whether to pass the agent's history to <see cref="Plan"/>; when not, an empty list will do.</returns>
    public static bool NeedsHistory(VersionAction action) =>
        action is { Kind: VersionActionKind.Rollback, Hash: null };

    /// <summary>Plans an action.</summary>
    /// <param name="versions">Every registered version of <see cref="VersionAction.Agent"/>.</param>
    /// <param name="history">The version history entries of <see cref="VersionAction.Agent"/>, oldest first (entries of other agents are
    /// ignored): a rollback without a named version goes back along the chain of stable releases they record. Read only when
    /// <see cref="NeedsHistory"/> says so; otherwise empty.</param>
    /// <param name="action">The action.</param>
    /// <param name="now">The time of the change (the store's clock).</param>
    /// <returns>The changed records and the entry, or a refusal.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static VersionOutcome Plan(IReadOnlyList<VersionRecord> versions, IReadOnlyList<VersionEvent> history, VersionAction action, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(action);
        VersionRecord? target = null;
        if (action.Hash is not null)
        {
            target = versions.FirstOrDefault(v => v.Hash == action.Hash);
            if (target is null)
            {
                return VersionOutcome.Refused(VersionErrorKind.NotFound, $"agent '{action.Agent}' has no registered version {action.Hash}; list them with 'keel version list --agent {action.Agent}'");
            }
        }
        else if (action.Kind != VersionActionKind.Rollback)
        {
            return VersionOutcome.Refused(VersionErrorKind.BadInput, $"{Name(action.Kind)} needs the version's hash");
        }

        var stable = versions.FirstOrDefault(v => v.IsStable);
        var candidate = versions.FirstOrDefault(v => v.IsCandidate);
        return action.Kind switch
        {
            VersionActionKind.Validate => Validate(target!, action, now),
            VersionActionKind.Release => Release(target!, stable, candidate, versions, action, now),
            VersionActionKind.Rollback => Rollback(target, stable, candidate, versions, history, action, now),
            _ => Retire(target!, candidate, action, now),
        };
    }

    /// <summary>The history name of an action: <c>validate</c>, <c>release</c>, <c>rollback</c> or <c>retire</c> (a release below
    /// 100 % is recorded as <c>rollout</c>).</summary>
    /// <param name="kind">The action.</param>
    /// <returns>The name.</returns>
    public static string Name(VersionActionKind kind) => kind switch
    {
        VersionActionKind.Validate => "validate",
        VersionActionKind.Release => "release",
        VersionActionKind.Rollback => "rollback",
        VersionActionKind.Retire => "retire",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a version action"),
    };

    private static VersionOutcome Validate(VersionRecord target, VersionAction action, DateTimeOffset now) =>
        target.State == AgentVersionState.Draft
            ? Done(action, "validate", target.Hash, now, $"validated {target.Hash}", target with { State = AgentVersionState.Validated })
            : Conflict($"{target.Hash} is {VersionRecord.StateName(target.State)}; only a draft is validated");

    private static VersionOutcome Release(VersionRecord target, VersionRecord? stable, VersionRecord? candidate, IReadOnlyList<VersionRecord> versions, VersionAction action, DateTimeOffset now)
    {
        if (action.SharePercent is < 1 or > 100)
        {
            return VersionOutcome.Refused(VersionErrorKind.BadInput, $"--share is {action.SharePercent}; give a share of new runs from 1 to 100 (percent)");
        }

        var widening = target.IsCandidate;
        if (!widening && target.State != AgentVersionState.Validated)
        {
            var hint = target.State switch
            {
                AgentVersionState.Draft => $"validate it first: keel version validate {target.Hash}",
                AgentVersionState.Retired => $"serve it again with: keel version rollback --agent {target.Agent} --to {target.Hash}",
                _ => "it already serves every new run",
            };
            return Conflict($"{target.Hash} is {VersionRecord.StateName(target.State)}; {hint}");
        }

        if (action.SharePercent == 100)
        {
            var retired = versions.Where(v => v.State == AgentVersionState.Released && v.Hash != target.Hash)
                .Select(v => v with { State = AgentVersionState.Retired, SharePercent = null }).ToList();
            var detail = $"released {target.Hash} to every new run" + (retired.Count == 0 ? "" : "; retired " + string.Join(", ", retired.Select(v => v.Hash)));
            return Done(action, "release", target.Hash, now, detail, [target with { State = AgentVersionState.Released, SharePercent = 100, ReleasedAt = widening ? target.ReleasedAt : now }, .. retired]);
        }

        if (stable is null)
        {
            return Conflict($"agent '{target.Agent}' has no stable version for a staged rollout to share new runs with; release one to every new run first (keel version release <hash>)");
        }

        if (candidate is not null && candidate.Hash != target.Hash)
        {
            return Conflict($"{candidate.Hash} is already in a staged rollout ({candidate.SharePercent} %); widen it to 100, or roll it back, before starting another");
        }

        var verb = widening ? $"changed the rollout of {target.Hash} from {target.SharePercent} % to" : $"released {target.Hash} to";
        return Done(action, "rollout", target.Hash, now, $"{verb} {action.SharePercent} % of new runs; {stable.Hash} stays stable",
            target with { State = AgentVersionState.Released, SharePercent = action.SharePercent, ReleasedAt = widening ? target.ReleasedAt : now });
    }

    private static VersionOutcome Rollback(VersionRecord? target, VersionRecord? stable, VersionRecord? candidate, IReadOnlyList<VersionRecord> versions,
        IReadOnlyList<VersionEvent> history, VersionAction action, DateTimeOffset now)
    {
        if (action.IfCurrent is { } judged && (candidate ?? stable)?.Hash != judged)
        {
            var serving = candidate is not null ? $"{candidate.Hash} is in rollout" : stable is not null ? $"{stable.Hash} is stable" : "no version is released";
            return Conflict($"the rollback was asked for {judged}, but {serving} now; nothing was rolled back");
        }

        if (action.RolloutOnly && (target is not null || candidate is null))
        {
            return Conflict(target is not null
                ? "a rollback that only reverts a rollout names no version"
                : $"agent '{action.Agent}' has no staged rollout to revert; nothing was rolled back");
        }

        if (target is null && candidate is not null)
        {
            var reverted = candidate with { State = AgentVersionState.Validated, SharePercent = null };
            return Done(action, "rollback", stable!.Hash, now, $"reverted the rollout of {candidate.Hash} ({candidate.SharePercent} %); {stable.Hash} serves every new run", reverted);
        }

        if (target is null)
        {
            var retiredByHash = versions.Where(v => v.State == AgentVersionState.Retired).ToDictionary(v => v.Hash, StringComparer.Ordinal);
            var earlier = StableChain(action.Agent, history).Where(h => h != stable?.Hash).Reverse().FirstOrDefault(retiredByHash.ContainsKey);
            target = earlier is null ? null : retiredByHash[earlier];
        }

        if (target is null)
        {
            return Conflict($"agent '{action.Agent}' has no earlier released version to roll back to; name one with --to <hash>");
        }

        if (target.State is not (AgentVersionState.Retired or AgentVersionState.Validated))
        {
            return Conflict($"{target.Hash} is {VersionRecord.StateName(target.State)}; roll back to a validated or retired version");
        }

        var retired = versions.Where(v => v.State == AgentVersionState.Released)
            .Select(v => v with { State = AgentVersionState.Retired, SharePercent = null }).ToList();
        var detail = $"released {target.Hash} again to every new run" + (retired.Count == 0 ? "" : "; retired " + string.Join(", ", retired.Select(v => v.Hash)));
        return Done(action, "rollback", target.Hash, now, detail, [target with { State = AgentVersionState.Released, SharePercent = 100, ReleasedAt = now }, .. retired]);
    }

    /// <summary>The chain of an agent's stable releases as its history records it, oldest first, the current stable version last:
    /// a release to every new run adds its version; a rollback to a version other than the stable one (a rollback that only reverted
    /// a rollout names the stable version and changes nothing) removes the versions it stepped back from — down to its target when the
    /// target is in the chain, otherwise adding the target; a retirement removes the version. Candidates (rollouts) never enter the
    /// chain, and a version rolled back from leaves it until it is released again.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="history">History entries, oldest first; other agents' are skipped.</param>
    /// <returns>The version hashes of the chain.</returns>
    public static IReadOnlyList<string> StableChain(string agent, IReadOnlyList<VersionEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var chain = new List<string>();
        string? stable = null;
        foreach (var entry in history.Where(e => e.Agent == agent))
        {
            var hash = entry.VersionHash;
            switch (entry.Action)
            {
                case "release":
                    chain.Remove(hash);
                    chain.Add(hash);
                    stable = hash;
                    break;
                case "rollback" when hash != stable:
                    if (stable is not null)
                    {
                        chain.Remove(stable);
                    }

                    var at = chain.LastIndexOf(hash);
                    if (at >= 0)
                    {
                        chain.RemoveRange(at + 1, chain.Count - at - 1);
                    }
                    else
                    {
                        chain.Add(hash);
                    }

                    stable = hash;
                    break;
                case "retire":
                    chain.Remove(hash);
                    stable = stable == hash ? null : stable;
                    break;
            }
        }

        return chain;
    }

    private static VersionOutcome Retire(VersionRecord target, VersionRecord? candidate, VersionAction action, DateTimeOffset now)
    {
        if (target.State == AgentVersionState.Retired)
        {
            return Conflict($"{target.Hash} is already retired");
        }

        if (target.IsStable && candidate is not null)
        {
            return Conflict($"{target.Hash} is stable while {candidate.Hash} is in a staged rollout; release the candidate to 100 % or roll it back first");
        }

        return Done(action, "retire", target.Hash, now, $"retired {target.Hash} (was {VersionRecord.StateName(target.State)})",
            target with { State = AgentVersionState.Retired, SharePercent = null });
    }

    private static VersionOutcome Conflict(string message) => VersionOutcome.Refused(VersionErrorKind.Conflict, message);

    private static VersionOutcome Done(VersionAction action, string name, string hash, DateTimeOffset now, string detail, params VersionRecord[] changed) =>
        new(changed, new VersionEvent("", 0, action.Agent, name, hash, action.Actor, now, action.Note is { Length: > 0 } note ? $"{detail} — {note}" : detail, "", ""));
}
