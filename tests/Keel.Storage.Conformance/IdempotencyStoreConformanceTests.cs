using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Idempotency records (<see cref="IIdempotencyStore"/>): one <see cref="IdempotencyState.New"/> per key under any concurrency,
/// the stored answer replayed, a different body refused, a released key free again, a crashed claim taken over once.</summary>
public abstract class IdempotencyStoreConformanceTests : StoreConformanceTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);
    private static readonly StoredResponse Answer = new(201, "application/json", """{"id":"run_1"}"""u8.ToArray());

    [Fact]
    public async Task ClaimAsync_FirstUse_IsNewThenInFlight()
    {
        (await ClaimAsync("k1")).State.ShouldBe(IdempotencyState.New);
        (await ClaimAsync("k1")).State.ShouldBe(IdempotencyState.InFlight);
    }

    [Fact]
    public async Task ClaimAsync_AfterComplete_ReplaysTheStoredAnswer()
    {
        await ClaimAsync("k1");
        await Store.Gateway.CompleteAsync("ws-a", "key", "k1", Answer, Ct);

        var replay = await ClaimAsync("k1");

        replay.State.ShouldBe(IdempotencyState.Replay);
        (replay.Response!.StatusCode, replay.Response.ContentType).ShouldBe((201, "application/json"));
        replay.Response.Body.ShouldBe(Answer.Body);
    }

    [Fact]
    public async Task ClaimAsync_OtherBody_IsMismatch()
    {
        await ClaimAsync("k1");
        await Store.Gateway.CompleteAsync("ws-a", "key", "k1", Answer, Ct);

        (await ClaimAsync("k1", "other-sha")).State.ShouldBe(IdempotencyState.Mismatch);
    }

    [Fact]
    public async Task ClaimAsync_ScopedToWorkspaceAndKey_OthersAreNew()
    {
        await ClaimAsync("k1");

        (await Store.Gateway.ClaimAsync("ws-b", "key", "k1", "sha", StaleAfter, Ct)).State.ShouldBe(IdempotencyState.New);
        (await Store.Gateway.ClaimAsync("ws-a", "other-key", "k1", "sha", StaleAfter, Ct)).State.ShouldBe(IdempotencyState.New);
    }

    [Fact]
    public async Task ReleaseAsync_Unfinished_KeyIsNewAgain()
    {
        await ClaimAsync("k1");

        await Store.Gateway.ReleaseAsync("ws-a", "key", "k1", Ct);

        (await ClaimAsync("k1", "other-sha")).State.ShouldBe(IdempotencyState.New);
    }

    [Fact]
    public async Task ReleaseAsync_Completed_KeepsTheAnswer()
    {
        await ClaimAsync("k1");
        await Store.Gateway.CompleteAsync("ws-a", "key", "k1", Answer, Ct);

        await Store.Gateway.ReleaseAsync("ws-a", "key", "k1", Ct);

        (await ClaimAsync("k1")).State.ShouldBe(IdempotencyState.Replay);
    }

    [Fact]
    public async Task ClaimAsync_UnfinishedPastStaleAfter_TakenOverByExactlyOneOf16()
    {
        var other = await OpenInstanceAsync();
        await ClaimAsync("k1");
        Time.Advance(StaleAfter + TimeSpan.FromSeconds(1));

        var claims = await RaceAsync(16, i => (i % 2 == 0 ? Store.Gateway : other.Gateway).ClaimAsync("ws-a", "key", "k1", "sha", StaleAfter, Ct));

        claims.Count(c => c.State == IdempotencyState.New).ShouldBe(1);
        claims.Count(c => c.State == IdempotencyState.InFlight).ShouldBe(15);
    }

    [Fact]
    public async Task ClaimAsync_64ConcurrentClaimsOnTwoInstances_ExactlyOneNewPerKey()
    {
        var other = await OpenInstanceAsync();

        var claims = await RaceAsync(64, async i => (Key: $"k{i % 4}", Claim: await (i % 2 == 0 ? Store.Gateway : other.Gateway).ClaimAsync("ws-a", "key", $"k{i % 4}", "sha", StaleAfter, Ct)));

        foreach (var group in claims.GroupBy(c => c.Key))
        {
            group.Count(c => c.Claim.State == IdempotencyState.New).ShouldBe(1, group.Key);
            group.Count(c => c.Claim.State == IdempotencyState.InFlight).ShouldBe(15, group.Key);
        }
    }

    private Task<IdempotencyClaim> ClaimAsync(string key, string sha = "sha") => Store.Gateway.ClaimAsync("ws-a", "key", key, sha, StaleAfter, Ct);
}
