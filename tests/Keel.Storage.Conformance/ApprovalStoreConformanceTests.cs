using Keel.Approvals;
using Keel.Storage.Conformance.Support;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Durable approvals (<see cref="IApprovalStore"/>): pending ones deduplicated, decisions applied, and a granted approval used
/// exactly once however many callers on however many instances try.</summary>
public abstract class ApprovalStoreConformanceTests : StoreConformanceTests
{
    private DateTimeOffset Now => Time.GetUtcNow();

    [Fact]
    public async Task RequestAsync_SameCallTwice_ReturnsTheFirstPendingOne()
    {
        var first = SampleApprovals.Pending("apr_1", Now);
        (await Store.Gateway.RequestAsync(first, Ct)).ShouldBe((first, true));

        var (again, created) = await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_2", Now.AddMinutes(1)), Ct);

        created.ShouldBeFalse();
        again.ShouldBe(first, ApprovalComparer.Instance);
        (await Store.Gateway.ListAsync("ws-a", null, cancellationToken: Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task RequestAsync_OtherRunDigestOrPlan_CreatesAnother()
    {
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_1", Now), Ct);

        (await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_2", Now, runId: "r2"), Ct)).Created.ShouldBeTrue();
        (await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_3", Now, digest: "sha256:other"), Ct)).Created.ShouldBeTrue();
        (await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_4", Now, planDigest: "sha256:plan"), Ct)).Created.ShouldBeTrue();
        (await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_5", Now, planDigest: "sha256:plan"), Ct)).Created.ShouldBeFalse();
    }

    [Fact]
    public async Task RequestAsync_PendingOneExpired_CreatesANewOne()
    {
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_old", Now), Ct);

        var (approval, created) = await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_new", Now.AddHours(2)), Ct);

        created.ShouldBeTrue();
        approval.Id.ShouldBe("apr_new");
    }

    [Fact]
    public async Task RequestAsync_SameCallFrom16CallersOnTwoInstances_OnePendingApproval()
    {
        var other = await OpenInstanceAsync();

        var results = await RaceAsync(16, i => (i % 2 == 0 ? Store.Gateway : other.Gateway).RequestAsync(SampleApprovals.Pending($"apr_{i}", Now), Ct));

        results.Count(r => r.Created).ShouldBe(1);
        results.Select(r => r.Approval.Id).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ListPendingForRunAsync_ManyPendingInTheWorkspace_TheRunsOwnStillPendingFirstToExpireFirst()
    {
        // More pending approvals of other runs than any workspace listing reads (1,000), all newer than the run's own.
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_late", Now.AddMinutes(-10), digest: "sha256:late"), Ct);
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_soon", Now.AddMinutes(-20), digest: "sha256:soon"), Ct);
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_lapsed", Now.AddHours(-2), digest: "sha256:lapsed"), Ct);
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_denied", Now.AddMinutes(-5), digest: "sha256:denied"), Ct);
        (await Store.Gateway.DecideAsync("ws-a", "apr_denied", "omar", approve: false, note: null, Now, Ct)).Error.ShouldBeNull();
        for (var i = 0; i < 1_001; i++)
        {
            await Store.Gateway.RequestAsync(SampleApprovals.Pending($"apr_other_{i}", Now, runId: $"other-{i}"), Ct);
        }

        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_foreign", Now, workspaceId: "ws-b"), Ct);

        var waiting = await Store.Gateway.ListPendingForRunAsync("ws-a", "r1", Now, Ct);

        waiting.Select(a => a.Id).ShouldBe(["apr_soon", "apr_late"]);
        (await Store.Gateway.ListPendingForRunAsync("ws-a", "no-such-run", Now, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task FindPendingAsync_PendingThenExpiredOrDecided_FindsItOnlyWhilePending()
    {
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_1", Now, planDigest: "sha256:plan"), Ct);

        (await Store.Gateway.FindPendingAsync("ws-a", "r1", "sha256:refund", "sha256:plan", Now, Ct))!.Id.ShouldBe("apr_1");
        (await Store.Gateway.FindPendingAsync("ws-a", "r1", "sha256:refund", null, Now, Ct)).ShouldBeNull();
        (await Store.Gateway.FindPendingAsync("ws-a", "r2", "sha256:refund", "sha256:plan", Now, Ct)).ShouldBeNull();
        (await Store.Gateway.FindPendingAsync("ws-a", "r1", "sha256:refund", "sha256:plan", Now.AddHours(1), Ct)).ShouldBeNull();

        await Store.Gateway.DecideAsync("ws-a", "apr_1", "ana", approve: false, null, Now, Ct);
        (await Store.Gateway.FindPendingAsync("ws-a", "r1", "sha256:refund", "sha256:plan", Now, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_RoundTripsEveryField()
    {
        var approval = SampleApprovals.Pending("apr_1", Now.AddTicks(1234567), planDigest: "sha256:plan") with { StagesRequired = 2 };
        await Store.Gateway.RequestAsync(approval, Ct);

        (await Store.Gateway.GetAsync("ws-a", "apr_1", Ct)).ShouldBe(approval, ApprovalComparer.Instance);
        (await Store.Gateway.GetAsync("ws-b", "apr_1", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task DecideAsync_TwoStages_GrantedOnlyAfterTwoPeople()
    {
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_1", Now) with { StagesRequired = 2 }, Ct);

        var (one, _) = await Store.Gateway.DecideAsync("ws-a", "apr_1", "ana", approve: true, "ok", Now, Ct);
        var (same, error) = await Store.Gateway.DecideAsync("ws-a", "apr_1", "ana", approve: true, null, Now, Ct);
        var (two, _) = await Store.Gateway.DecideAsync("ws-a", "apr_1", "ben", approve: true, null, Now.AddMinutes(1), Ct);

        one!.Status.ShouldBe(ApprovalStatus.Pending);
        same!.Status.ShouldBe(ApprovalStatus.Pending);
        error.ShouldNotBeNull().ShouldContain("ana");
        two!.Status.ShouldBe(ApprovalStatus.Granted);
        var stored = await Store.Gateway.GetAsync("ws-a", "apr_1", Ct);
        stored!.Stages.Select(s => (s.By, s.Approved, s.Note, s.At)).ShouldBe([("ana", true, "ok", Now), ("ben", true, (string?)null, Now.AddMinutes(1))]);
        (await Store.Gateway.ListAsync("ws-a", ApprovalStatus.Granted, cancellationToken: Ct)).ShouldHaveSingleItem();
        (await Store.Gateway.ListAsync("ws-a", ApprovalStatus.Pending, cancellationToken: Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task DecideAsync_UnknownOrOtherWorkspace_ReturnsNothing()
    {
        await Store.Gateway.RequestAsync(SampleApprovals.Pending("apr_1", Now), Ct);

        (await Store.Gateway.DecideAsync("ws-b", "apr_1", "ana", true, null, Now, Ct)).ShouldBe((null, null));
        (await Store.Gateway.GetAsync("ws-a", "apr_1", Ct))!.Status.ShouldBe(ApprovalStatus.Pending);
    }

    [Fact]
    public async Task TryConsumeAsync_Granted_UsedOnceThenGone()
    {
        await GrantAsync("apr_1");

        var used = await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", null, Now, Ct);

        used!.Status.ShouldBe(ApprovalStatus.Used);
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", null, Now, Ct)).ShouldBeNull();
        (await Store.Gateway.GetAsync("ws-a", "apr_1", Ct))!.Status.ShouldBe(ApprovalStatus.Used);
    }

    [Fact]
    public async Task TryConsumeAsync_WrongRunDigestPlanOrExpired_ReturnsNull()
    {
        await GrantAsync("apr_1", planDigest: "sha256:plan");

        (await Store.Gateway.TryConsumeAsync("ws-a", "r2", "sha256:refund", "sha256:plan", Now, Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:other", "sha256:plan", Now, Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", null, Now, Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", "sha256:changed", Now, Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-b", "r1", "sha256:refund", "sha256:plan", Now, Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", "sha256:plan", Now.AddHours(1), Ct)).ShouldBeNull();
        (await Store.Gateway.TryConsumeAsync("ws-a", "r1", "sha256:refund", "sha256:plan", Now, Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task TryConsumeAsync_32ConcurrentConsumersOnTwoInstances_EachApprovalUsedOnce()
    {
        var other = await OpenInstanceAsync();
        for (var round = 0; round < 5; round++)
        {
            var run = $"r{round}";
            await GrantAsync($"apr_{round}_a", run);
            await GrantAsync($"apr_{round}_b", run, requestedAt: Now.AddSeconds(1));

            var consumed = await RaceAsync(32, i => (i % 2 == 0 ? Store.Gateway : other.Gateway).TryConsumeAsync("ws-a", run, "sha256:refund", null, Now, Ct));

            consumed.Where(a => a is not null).Select(a => a!.Id).Order().ToArray().ShouldBe([$"apr_{round}_a", $"apr_{round}_b"], $"round {round}");
        }

        (await Store.Gateway.ListAsync("ws-a", ApprovalStatus.Used, cancellationToken: Ct)).Count.ShouldBe(10);
    }

    /// <summary>Requests and grants an approval; a second one of the same call is created because a granted one is no longer pending.</summary>
    private async Task GrantAsync(string id, string runId = "r1", string? planDigest = null, DateTimeOffset? requestedAt = null)
    {
        (await Store.Gateway.RequestAsync(SampleApprovals.Pending(id, requestedAt ?? Now, runId, planDigest: planDigest), Ct)).Created.ShouldBeTrue();

        (await Store.Gateway.DecideAsync("ws-a", id, "supervisor", approve: true, null, Now, Ct)).Approval!.Status.ShouldBe(ApprovalStatus.Granted);
    }
}
