using Keel.Model;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class VersionLifecycleTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_now = s_t0.AddHours(1);

    [Fact]
    public void Plan_ValidateADraft_BecomesValidated()
    {
        var outcome = Plan([V("a", AgentVersionState.Draft)], VersionActionKind.Validate, "a");

        outcome.Changed.ShouldHaveSingleItem().State.ShouldBe(AgentVersionState.Validated);
        outcome.Event!.Action.ShouldBe("validate");
        outcome.Event.At.ShouldBe(s_now);
        outcome.Event.Actor.ShouldBe("ops");
    }

    [Theory]
    [InlineData(AgentVersionState.Validated)]
    [InlineData(AgentVersionState.Released)]
    [InlineData(AgentVersionState.Retired)]
    public void Plan_ValidateAnythingButADraft_Conflict(AgentVersionState state)
    {
        Plan([V("a", state, state == AgentVersionState.Released ? 100 : null)], VersionActionKind.Validate, "a").Error.ShouldBe(VersionErrorKind.Conflict);
    }

    [Fact]
    public void Plan_ReleaseValidatedToEveryRun_RetiresTheStableAndAnyCandidate()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 20), V("c", AgentVersionState.Validated)], VersionActionKind.Release, "c");

        outcome.Changed.Select(v => (v.Hash, v.State, v.SharePercent, v.ReleasedAt)).ShouldBe([
            ("c", AgentVersionState.Released, (int?)100, (DateTimeOffset?)s_now),
            ("a", AgentVersionState.Retired, null, s_t0),
            ("b", AgentVersionState.Retired, null, s_t0)]);
        outcome.Event!.Detail.ShouldBe("released c to every new run; retired a, b");
    }

    [Theory]
    [InlineData(AgentVersionState.Draft, "validate it first")]
    [InlineData(AgentVersionState.Retired, "keel version rollback --agent refund-desk --to a")]
    public void Plan_ReleaseADraftOrRetired_ConflictSayingWhatWould(AgentVersionState state, string hint)
    {
        var outcome = Plan([V("a", state)], VersionActionKind.Release, "a");

        outcome.Error.ShouldBe(VersionErrorKind.Conflict);
        outcome.Message.ShouldNotBeNull().ShouldContain(hint);
        outcome.Changed.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_RolloutBesideAStable_CandidateWithItsShare()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Validated)], VersionActionKind.Release, "b", share: 10);

        var candidate = outcome.Changed.ShouldHaveSingleItem();
        candidate.IsCandidate.ShouldBeTrue();
        candidate.SharePercent.ShouldBe(10);
        outcome.Event!.Action.ShouldBe("rollout");
        outcome.Event.Detail.ShouldBe("released b to 10 % of new runs; a stays stable");
    }

    [Fact]
    public void Plan_WidenACandidate_KeepsItsReleaseTimeAndChangesTheShare()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 10)], VersionActionKind.Release, "b", share: 50);

        outcome.Changed.ShouldHaveSingleItem().ShouldBe(V("b", AgentVersionState.Released, 50));
        outcome.Event!.Detail.ShouldBe("changed the rollout of b from 10 % to 50 % of new runs; a stays stable");
    }

    [Fact]
    public void Plan_RolloutWithoutAStable_Conflict()
    {
        Plan([V("b", AgentVersionState.Validated)], VersionActionKind.Release, "b", share: 10).Message.ShouldNotBeNull().ShouldContain("no stable version");
    }

    [Fact]
    public void Plan_SecondCandidate_Conflict()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 10), V("c", AgentVersionState.Validated)], VersionActionKind.Release, "c", share: 5);

        outcome.Error.ShouldBe(VersionErrorKind.Conflict);
        outcome.Message.ShouldNotBeNull().ShouldContain("b is already in a staged rollout (10 %)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Plan_ShareOutsideOneToHundred_BadInput(int share)
    {
        Plan([V("a", AgentVersionState.Validated)], VersionActionKind.Release, "a", share).Error.ShouldBe(VersionErrorKind.BadInput);
    }

    [Fact]
    public void Plan_RollbackDuringARollout_RevertsTheCandidate()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 10)], VersionActionKind.Rollback, null);

        outcome.Changed.ShouldHaveSingleItem().ShouldBe(V("b", AgentVersionState.Validated) with { ReleasedAt = s_t0 });
        outcome.Event!.VersionHash.ShouldBe("a");
    }

    [Fact]
    public void Plan_RollbackForTheCandidateItJudged_RevertsTheRollout()
    {
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 10)], new(VersionActionKind.Rollback, "refund-desk", null, "trigger:t", IfCurrent: "b", RolloutOnly: true));

        outcome.Changed.ShouldHaveSingleItem().Hash.ShouldBe("b");
        outcome.Changed[0].State.ShouldBe(AgentVersionState.Validated);
    }

    [Fact]
    public void Plan_RollbackForACandidatePromotedSince_ConflictAndTheNewStableStays()
    {
        // The trigger judged b in a 10 % rollout; an operator released b to every run before the trigger acted.
        var outcome = Plan([V("a", AgentVersionState.Retired), V("b", AgentVersionState.Released, 100)], new(VersionActionKind.Rollback, "refund-desk", null, "trigger:t", IfCurrent: "b", RolloutOnly: true));

        outcome.Error.ShouldBe(VersionErrorKind.Conflict);
        outcome.Message.ShouldBe("agent 'refund-desk' has no staged rollout to revert; nothing was rolled back");
        outcome.Changed.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_RollbackForAVersionNoLongerServing_ConflictNamingWhatServesNow()
    {
        // The trigger judged stable a; an operator started a rollout of c since, and a rollback now would revert c, which nobody judged.
        var outcome = Plan([V("a", AgentVersionState.Released, 100), V("c", AgentVersionState.Released, 10)], new(VersionActionKind.Rollback, "refund-desk", null, "trigger:t", IfCurrent: "a"));

        outcome.Error.ShouldBe(VersionErrorKind.Conflict);
        outcome.Message.ShouldBe("the rollback was asked for a, but c is in rollout now; nothing was rolled back");
    }

    [Fact]
    public void Plan_RolloutOnlyNamingAVersion_Conflict()
    {
        Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Retired)], new(VersionActionKind.Rollback, "refund-desk", "b", "ops", RolloutOnly: true))
            .Error.ShouldBe(VersionErrorKind.Conflict);
    }

    [Fact]
    public void Plan_RollbackAfterARelease_ReleasesTheLastReleasedAgainInOneStep()
    {
        var older = V("a", AgentVersionState.Retired) with { ReleasedAt = s_t0.AddMinutes(-30) };
        var previous = V("b", AgentVersionState.Retired) with { ReleasedAt = s_t0.AddMinutes(-10) };
        var outcome = Plan([older, previous, V("c", AgentVersionState.Released, 100)], VersionActionKind.Rollback, null,
            history: [E("release", "a"), E("release", "b"), E("release", "c")]);

        outcome.Changed.Select(v => (v.Hash, v.State)).ShouldBe([("b", AgentVersionState.Released), ("c", AgentVersionState.Retired)]);
        outcome.Changed[0].ReleasedAt.ShouldBe(s_now);
        outcome.Event!.Action.ShouldBe("rollback");
    }

    [Fact]
    public void Plan_RollbackAfterACandidateWasRolledOutThenRetired_SkipsTheCandidate()
    {
        List<VersionRecord> versions = [V("a", AgentVersionState.Validated), V("b", AgentVersionState.Validated), V("c", AgentVersionState.Validated)];
        List<VersionEvent> history = [];
        Steps(versions, history, (VersionActionKind.Release, "a", 100), (VersionActionKind.Release, "b", 10), (VersionActionKind.Retire, "b", 100),
            (VersionActionKind.Release, "c", 100));

        var outcome = Steps(versions, history, (VersionActionKind.Rollback, null, 100));

        outcome.Event!.VersionHash.ShouldBe("a");
        versions.Single(v => v.IsStable).Hash.ShouldBe("a");
        versions.Single(v => v.Hash == "b").State.ShouldBe(AgentVersionState.Retired);
    }

    [Fact]
    public void Plan_TwoRollbacksInARow_StepBackTwice()
    {
        List<VersionRecord> versions = [V("a", AgentVersionState.Validated), V("b", AgentVersionState.Validated), V("c", AgentVersionState.Validated)];
        List<VersionEvent> history = [];
        Steps(versions, history, (VersionActionKind.Release, "a", 100), (VersionActionKind.Release, "b", 100), (VersionActionKind.Release, "c", 100));

        Steps(versions, history, (VersionActionKind.Rollback, null, 100)).Event!.VersionHash.ShouldBe("b");
        Steps(versions, history, (VersionActionKind.Rollback, null, 100)).Event!.VersionHash.ShouldBe("a");
        Plan(versions, VersionActionKind.Rollback, null, history: history).Message.ShouldNotBeNull().ShouldContain("no earlier released version");
    }

    [Fact]
    public void Plan_RollbackAfterARevertedRolloutAndAReleaseAgain_StepsBackOnce()
    {
        List<VersionRecord> versions = [V("a", AgentVersionState.Validated), V("b", AgentVersionState.Validated)];
        List<VersionEvent> history = [];
        Steps(versions, history, (VersionActionKind.Release, "a", 100), (VersionActionKind.Release, "b", 20), (VersionActionKind.Rollback, null, 100),
            (VersionActionKind.Release, "b", 100));

        Steps(versions, history, (VersionActionKind.Rollback, null, 100)).Event!.VersionHash.ShouldBe("a");
    }

    [Fact]
    public void StableChain_ReleasesRollbacksAndRetirements_TheStableReleasesLeft()
    {
        VersionEvent[] history = [E("release", "a"), E("release", "b"), E("rollout", "x"), E("release", "c"), E("rollback", "b"), E("release", "d"),
            E("rollback", "d"), E("retire", "d"), E("validate", "e")];
        history = [.. history, E("release", "e") with { Agent = "other-agent" }];

        VersionLifecycle.StableChain("refund-desk", history).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Plan_RollbackToANamedRetiredVersion_ReleasesThatOne()
    {
        var older = V("a", AgentVersionState.Retired) with { ReleasedAt = s_t0.AddMinutes(-30) };
        var outcome = Plan([older, V("b", AgentVersionState.Retired), V("c", AgentVersionState.Released, 100)], VersionActionKind.Rollback, "a");

        outcome.Changed[0].Hash.ShouldBe("a");
        outcome.Changed[0].IsStable.ShouldBeTrue();
    }

    [Fact]
    public void Plan_RollbackWithNothingEarlier_Conflict()
    {
        Plan([V("a", AgentVersionState.Released, 100)], VersionActionKind.Rollback, null).Message.ShouldNotBeNull().ShouldContain("no earlier released version");
    }

    [Fact]
    public void Plan_RetireTheStableDuringARollout_Conflict()
    {
        Plan([V("a", AgentVersionState.Released, 100), V("b", AgentVersionState.Released, 10)], VersionActionKind.Retire, "a").Error.ShouldBe(VersionErrorKind.Conflict);
    }

    [Fact]
    public void Plan_RetireRetiredOrUnknown_ConflictOrNotFound()
    {
        Plan([V("a", AgentVersionState.Retired)], VersionActionKind.Retire, "a").Error.ShouldBe(VersionErrorKind.Conflict);
        Plan([V("a", AgentVersionState.Draft)], VersionActionKind.Retire, "zz").Error.ShouldBe(VersionErrorKind.NotFound);
    }

    [Fact]
    public void Plan_NoteGiven_InTheDetail()
    {
        var outcome = VersionLifecycle.Plan([V("a", AgentVersionState.Draft)], [], new VersionAction(VersionActionKind.Retire, "refund-desk", "a", "ops", Note: "superseded"), s_now);

        outcome.Event!.Detail.ShouldBe("retired a (was draft) — superseded");
    }

    private static VersionOutcome Plan(IReadOnlyList<VersionRecord> versions, VersionActionKind kind, string? hash, int share = 100, IReadOnlyList<VersionEvent>? history = null) =>
        VersionLifecycle.Plan(versions, history ?? [], new VersionAction(kind, "refund-desk", hash, "ops", share), s_now);

    private static VersionOutcome Plan(IReadOnlyList<VersionRecord> versions, VersionAction action) => VersionLifecycle.Plan(versions, [], action, s_now);

    private static VersionEvent E(string action, string hash) => new("", 0, "refund-desk", action, hash, "ops", s_t0, "", "", "");

    /// <summary>Plans each step on the versions and history the steps before left, as a store does; returns the last outcome.</summary>
    private static VersionOutcome Steps(List<VersionRecord> versions, List<VersionEvent> history, params (VersionActionKind Kind, string? Hash, int Share)[] steps)
    {
        VersionOutcome outcome = null!;
        foreach (var (kind, hash, share) in steps)
        {
            outcome = Plan(versions, kind, hash, share, history);
            outcome.Succeeded.ShouldBeTrue(outcome.Message);
            foreach (var changed in outcome.Changed)
            {
                versions[versions.FindIndex(v => v.Hash == changed.Hash)] = changed;
            }

            history.Add(outcome.Event!);
        }

        return outcome;
    }

    private static VersionRecord V(string hash, AgentVersionState state, int? share = null) =>
        new("refund-desk", hash, "1", "gpt-4o", state, share, s_t0, "ana", null, state is AgentVersionState.Released or AgentVersionState.Retired ? s_t0 : null);
}
