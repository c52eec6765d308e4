using System.Text;
using Keel.Drift;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using Keel.Triggers;
using Keel.Versions;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>The version registry (<see cref="IVersionRegistry"/>): content-addressed versions and files, the lifecycle applied atomically,
/// the hash-chained history, workspace isolation.</summary>
public abstract class VersionRegistryConformanceTests : StoreConformanceTests
{
    private const string Ws = "ws-a";

    private IVersionRegistry Registry => Store.Gateway;

    [Fact]
    public async Task RegisterVersionAsync_NewContent_StoresADraftWithItsFilesByteForByteOnce()
    {
        var content = Content("v1", prompt: "Be kind.\n");

        var (record, created) = await Registry.RegisterVersionAsync(Ws, Agent("1.0.0"), content, "ana", "first", Ct);
        var again = await Registry.RegisterVersionAsync(Ws, Agent("1.0.0"), Content("v1", prompt: "Be kind.\n"), "bob", null, Ct);

        created.ShouldBeTrue();
        record.ShouldBe(new VersionRecord("refund-desk", content.Hash, "1.0.0", "gpt-4o", AgentVersionState.Draft, null, Time.GetUtcNow(), "ana", "first", null));
        again.Created.ShouldBeFalse();
        again.Record.ShouldBe(record);
        (await Registry.GetVersionAsync(Ws, content.Hash, Ct)).ShouldBe(record);
        var stored = (await Registry.GetVersionContentAsync(Ws, content.Hash, Ct)).ShouldNotBeNull();
        stored.Hash.ShouldBe(content.Hash);
        stored.Files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Bytes.Span))).ShouldBe(content.Files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Bytes.Span))));
        var history = await Registry.ListVersionHistoryAsync(Ws, Ct);
        history.ShouldHaveSingleItem().Action.ShouldBe("register");
        history[0].Actor.ShouldBe("ana");
    }

    [Fact]
    public async Task ApplyVersionActionAsync_ReleaseRolloutRevertPromoteRollback_EveryStepStoredAndChained()
    {
        var a = await RegisterValidatedAsync("a");
        var b = await RegisterValidatedAsync("b");

        (await ApplyAsync(VersionActionKind.Release, a)).Succeeded.ShouldBeTrue();
        Time.Advance(TimeSpan.FromMinutes(1));
        (await ApplyAsync(VersionActionKind.Release, b, share: 10)).Event!.Action.ShouldBe("rollout");
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (b, AgentVersionState.Released, 10)]);
        (await ApplyAsync(VersionActionKind.Rollback, null)).Event!.Detail.ShouldStartWith($"reverted the rollout of {b}");
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (b, AgentVersionState.Validated, null)]);
        (await ApplyAsync(VersionActionKind.Release, b)).Succeeded.ShouldBeTrue();
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Retired, null), (b, AgentVersionState.Released, 100)]);
        Time.Advance(TimeSpan.FromMinutes(1));
        var rollback = await ApplyAsync(VersionActionKind.Rollback, null);

        rollback.Event!.VersionHash.ShouldBe(a);
        rollback.Event.Actor.ShouldBe("ops@example.com");
        rollback.Event.At.ShouldBe(Time.GetUtcNow());
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (b, AgentVersionState.Retired, null)]);
        (await Registry.GetVersionAsync(Ws, a, Ct))!.ReleasedAt.ShouldBe(Time.GetUtcNow());
        var history = await Registry.ListVersionHistoryAsync(Ws, Ct);
        history.Select(e => e.Action).ShouldBe(["register", "validate", "register", "validate", "release", "rollout", "rollback", "release", "rollback"]);
        VersionHistory.Verify(Ws, history).ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyVersionActionAsync_RollbackTwiceAfterARetiredCandidate_StepsBackAlongTheStableReleases()
    {
        var a = await RegisterValidatedAsync("a");
        var b = await RegisterValidatedAsync("b");
        var c = await RegisterValidatedAsync("c");
        var d = await RegisterValidatedAsync("d");
        foreach (var (kind, hash, share) in new (VersionActionKind, string, int)[]
        {
            (VersionActionKind.Release, a, 100), (VersionActionKind.Release, b, 100), (VersionActionKind.Release, c, 25), (VersionActionKind.Retire, c, 100),
            (VersionActionKind.Release, d, 100),
        })
        {
            (await ApplyAsync(kind, hash, share)).Succeeded.ShouldBeTrue();
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        (await ApplyAsync(VersionActionKind.Rollback, null)).Event!.VersionHash.ShouldBe(b);
        Time.Advance(TimeSpan.FromMinutes(1));
        (await ApplyAsync(VersionActionKind.Rollback, null)).Event!.VersionHash.ShouldBe(a);

        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (b, AgentVersionState.Retired, null), (c, AgentVersionState.Retired, null), (d, AgentVersionState.Retired, null)]);
        (await ApplyAsync(VersionActionKind.Rollback, null)).Error.ShouldBe(VersionErrorKind.Conflict);
    }

    [Fact]
    public async Task TriggerActuator_RolloutStartedAfterTheTriggersJudgedTheStable_RefusedAndNothingChanges()
    {
        var a = await RegisterValidatedAsync("a");
        var c = await RegisterValidatedAsync("c");
        (await ApplyAsync(VersionActionKind.Release, a)).Succeeded.ShouldBeTrue();

        // The triggers judged stable a; while the drift was measured, an operator started a 10 % rollout of c. A plain rollback now would
        // revert c, which no trigger judged.
        (await ApplyAsync(VersionActionKind.Release, c, 10)).Succeeded.ShouldBeTrue();
        var historyBefore = await Registry.ListVersionHistoryAsync(Ws, Ct);
        var stale = await TriggerActuator.ApplyAsync(Registry, Ws, "refund-desk", a, Fired(TriggerAction.Rollback), dryRun: false, Ct);

        stale.Changed.ShouldBeFalse();
        stale.Outcome!.Error.ShouldBe(VersionErrorKind.Conflict);
        stale.Text.ShouldContain($"but {c} is in rollout now");
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (c, AgentVersionState.Released, 10)]);
        (await Registry.ListVersionHistoryAsync(Ws, Ct)).Count.ShouldBe(historyBefore.Count);

        // A pause judged on c reverts c's rollout and leaves a stable.
        var pause = await TriggerActuator.ApplyAsync(Registry, Ws, "refund-desk", c, Fired(TriggerAction.PauseRollout), dryRun: false, Ct);
        pause.Changed.ShouldBeTrue();
        pause.Outcome!.Event!.Actor.ShouldBe("trigger:t");
        (await StatesAsync()).ShouldBe([(a, AgentVersionState.Released, 100), (c, AgentVersionState.Validated, null)]);
    }

    [Fact]
    public async Task ApplyVersionActionAsync_ReleaseOfADraft_RefusedAndNothingChanges()
    {
        var (draft, _) = await Registry.RegisterVersionAsync(Ws, Agent("1"), Content("d"), "ana", null, Ct);

        var outcome = await ApplyAsync(VersionActionKind.Release, draft.Hash);

        outcome.Error.ShouldBe(VersionErrorKind.Conflict);
        outcome.Message.ShouldNotBeNull().ShouldContain("keel version validate");
        (await Registry.GetVersionAsync(Ws, draft.Hash, Ct))!.State.ShouldBe(AgentVersionState.Draft);
        (await Registry.ListVersionHistoryAsync(Ws, Ct)).Count.ShouldBe(1);
        (await ApplyAsync(VersionActionKind.Release, "sha256:" + new string('0', 64))).Error.ShouldBe(VersionErrorKind.NotFound);
    }

    [Fact]
    public async Task ListVersionsAsync_OtherWorkspace_SeesNothing()
    {
        var a = await RegisterValidatedAsync("a");

        (await Registry.ListVersionsAsync("ws-b", null, Ct)).ShouldBeEmpty();
        (await Registry.GetVersionAsync("ws-b", a, Ct)).ShouldBeNull();
        (await Registry.GetVersionContentAsync("ws-b", a, Ct)).ShouldBeNull();
        (await Registry.ApplyVersionActionAsync("ws-b", new VersionAction(VersionActionKind.Release, "refund-desk", a, "eve"), Ct)).Error.ShouldBe(VersionErrorKind.NotFound);
        (await Registry.ListVersionsAsync(Ws, "refund-desk", Ct)).ShouldHaveSingleItem().Hash.ShouldBe(a);
        (await Registry.ListVersionsAsync(Ws, "other-agent", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyVersionActionAsync_EightRolloutsFromFourInstancesAtOnce_ExactlyOneCandidate()
    {
        var stable = await RegisterValidatedAsync("stable");
        await ApplyAsync(VersionActionKind.Release, stable);
        var candidates = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            candidates.Add(await RegisterValidatedAsync($"c{i}"));
        }

        var instances = new List<StoreInstance> { Store };
        for (var i = 1; i < 4; i++)
        {
            instances.Add(await OpenInstanceAsync());
        }

        var outcomes = await RaceAsync(8, i => instances[i % 4].Gateway.ApplyVersionActionAsync(Ws, new VersionAction(VersionActionKind.Release, "refund-desk", candidates[i], "ops", 10), Ct));

        outcomes.Count(o => o.Succeeded).ShouldBe(1);
        (await Registry.ListVersionsAsync(Ws, null, Ct)).Count(v => v.IsCandidate).ShouldBe(1);
        VersionHistory.Verify(Ws, await Registry.ListVersionHistoryAsync(Ws, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListVersionHistoryAsync_EntryChangedInTheDatabase_VerifyNamesIt()
    {
        await RegisterValidatedAsync("a");

        await Backend.ExecuteSqlAsync("UPDATE version_history SET actor = 'mallory' WHERE seq = 1");

        VersionHistory.Verify(Ws, await Registry.ListVersionHistoryAsync(Ws, Ct)).ShouldBe(["version history of 'ws-a': entry 1 was changed after it was written"]);
    }

    private async Task<string> RegisterValidatedAsync(string marker)
    {
        var (record, _) = await Registry.RegisterVersionAsync(Ws, Agent(marker), Content(marker), "ana", null, Ct);
        (await ApplyAsync(VersionActionKind.Validate, record.Hash)).Succeeded.ShouldBeTrue();
        Time.Advance(TimeSpan.FromSeconds(1));
        return record.Hash;
    }

    private static TriggerReport Fired(TriggerAction action)
    {
        var drift = new DriftReport { BaselineRuns = 31, CurrentRuns = 31, FalseDiscoveryRate = 0.05, MinRuns = 20, CallsIndependent = false, MetricsTested = 1, Metrics = [] };
        return new TriggerReport(drift, [new TriggerResult(new TriggerRule("t", TriggerCondition.ClearRegression, action), TriggerStatus.Fired, "task_success_rate fell", [])]);
    }

    private Task<VersionOutcome> ApplyAsync(VersionActionKind kind, string? hash, int share = 100) =>
        Registry.ApplyVersionActionAsync(Ws, new VersionAction(kind, "refund-desk", hash, "ops@example.com", share), Ct);

    private async Task<List<(string, AgentVersionState, int?)>> StatesAsync() =>
        [.. (await Registry.ListVersionsAsync(Ws, "refund-desk", Ct)).Select(v => (v.Hash, v.State, v.SharePercent))];

    private static BundleContent Content(string marker, string prompt = "Answer refund questions.\n") =>
        new([
            new BundleFile("agent.yaml", Encoding.UTF8.GetBytes($"name: refund-desk\nversion: {marker}\nmodel: gpt-4o\n")),
            new BundleFile("prompt.md", Encoding.UTF8.GetBytes(prompt)),
            new BundleFile("tools.json", Encoding.UTF8.GetBytes("[]")),
        ]);

    private static AgentVersion Agent(string label) => new()
    {
        AgentName = "refund-desk",
        Version = label,
        Model = "gpt-4o",
        PromptFile = "prompt.md",
        PromptSha256 = "",
        Tools = new ToolCatalog([]),
        Policies = PolicySet.Empty,
    };
}
