using Keel.Model;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class RolloutAssignmentTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("run-1", 54)]
    [InlineData("run-2", 73)]
    [InlineData("run_abc", 25)]
    public void Bucket_KnownRun_MatchesTheValueComputedIndependently(string runId, int expected)
    {
        // Python: int.from_bytes(sha256(b"keel.rollout.v1\0default\0tau-airline\0" + id).digest()[:8], "big") % 100
        RolloutAssignment.Bucket("default", "tau-airline", runId).ShouldBe(expected);
    }

    [Fact]
    public void Bucket_SameRunTwice_SameBucket_OtherWorkspaceOrAgentIndependent()
    {
        RolloutAssignment.Bucket("ws", "agent", "run-9").ShouldBe(RolloutAssignment.Bucket("ws", "agent", "run-9"));
        var ids = Enumerable.Range(0, 200).Select(i => $"run-{i}").ToList();
        ids.Count(id => RolloutAssignment.Bucket("ws", "agent", id) == RolloutAssignment.Bucket("other", "agent", id)).ShouldBeLessThan(20);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(90)]
    public void Choose_CandidateAtShare_ServesCloseToThatShareOfManyRuns(int share)
    {
        var versions = new[] { V("stable", 100), V("candidate", share) };

        var candidate = Enumerable.Range(0, 10_000).Count(i => RolloutAssignment.Choose(versions, RolloutAssignment.Bucket("ws", "agent", $"run_{i:x8}"))!.Value.Arm == VersionAssignment.Candidate);

        // Binomial(10 000, p): three standard deviations are at most 150 runs.
        candidate.ShouldBeInRange(share * 100 - 150, share * 100 + 150);
    }

    [Fact]
    public void Choose_BucketAgainstShare_CandidateBelowStableAtOrAbove()
    {
        var versions = new[] { V("retired", null, AgentVersionState.Retired), V("stable", 100), V("candidate", 30) };

        RolloutAssignment.Choose(versions, 29)!.Value.ShouldBe((versions[2], VersionAssignment.Candidate));
        RolloutAssignment.Choose(versions, 30)!.Value.ShouldBe((versions[1], VersionAssignment.Stable));
        RolloutAssignment.Choose([V("stable", 100)], 0)!.Value.Arm.ShouldBe(VersionAssignment.Stable);
        RolloutAssignment.Choose([V("draft", null, AgentVersionState.Draft), V("old", null, AgentVersionState.Retired)], 0).ShouldBeNull();
    }

    private static VersionRecord V(string name, int? share, AgentVersionState state = AgentVersionState.Released) =>
        new("agent", "sha256:" + name, "1", "m", state, share, s_t0, "ops", null, state == AgentVersionState.Released ? s_t0 : null);
}
