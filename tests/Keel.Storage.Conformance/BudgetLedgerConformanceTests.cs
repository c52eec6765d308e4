using Keel.Budgets;
using Keel.Model;
using Keel.Tenancy;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>Workspace budgets (<see cref="IBudgetLedger"/>, <see cref="IWorkspaceStore"/>): reservations checked and counted
/// atomically, never overspent by concurrent callers on several instances, windows starting afresh.</summary>
public abstract class BudgetLedgerConformanceTests : StoreConformanceTests
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.Gateway.CreateWorkspaceAsync(new Workspace("ws-a", "A"), Ct);
    }

    [Fact]
    public async Task TryReserveAsync_NoBudget_GrantedAndNothingCounted()
    {
        (await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, Time.GetUtcNow(), Ct)).Granted.ShouldBeTrue();
        (await Store.Gateway.GetWindowUseAsync("ws-a", Time.GetUtcNow(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TryReserveAsync_PastTheLimit_RefusedWithRuleAndReason()
    {
        await SetBudgetAsync(new BudgetLimits(null, 2, null, null));
        var now = Time.GetUtcNow();
        await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, now, Ct);
        await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, now, Ct);

        var refused = await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, now, Ct);

        refused.Granted.ShouldBeFalse();
        refused.RuleId.ShouldBe("workspace_budget.tool_calls");
        refused.Reason.ShouldBe("workspace budget exceeded: 2 of 2 tool calls used in the window from 2026-11-21T10:00:00.0000000Z");
        (await Store.Gateway.GetWindowUseAsync("ws-a", now, Ct)).ShouldBe(new BudgetUse(2, 2, 0, 0m));
    }

    [Fact]
    public async Task TryReserveAsync_CostInUsd_CountedExactlyInMicros()
    {
        await SetBudgetAsync(new BudgetLimits(null, null, 1000, 0.30m));
        var now = Time.GetUtcNow();

        (await Store.Gateway.TryReserveAsync("ws-a", new BudgetUse(1, 0, 400, 0.1m), now, Ct)).Granted.ShouldBeTrue();
        (await Store.Gateway.TryReserveAsync("ws-a", new BudgetUse(1, 0, 400, 0.2m), now, Ct)).Granted.ShouldBeTrue();
        var over = await Store.Gateway.TryReserveAsync("ws-a", new BudgetUse(1, 0, 100, 0.000001m), now, Ct);

        over.RuleId.ShouldBe("workspace_budget.cost_usd");
        (await Store.Gateway.TryReserveAsync("ws-a", new BudgetUse(1, 0, 300, 0m), now, Ct)).RuleId.ShouldBe("workspace_budget.tokens");
        (await Store.Gateway.GetWindowUseAsync("ws-a", now, Ct)).ShouldBe(new BudgetUse(2, 0, 800, 0.3m));
    }

    [Fact]
    public async Task TryReserveAsync_NextWindow_StartsFromZero()
    {
        await SetBudgetAsync(new BudgetLimits(null, 1, null, null), TimeSpan.FromMinutes(1));
        (await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, Time.GetUtcNow(), Ct)).Granted.ShouldBeTrue();
        (await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, Time.GetUtcNow(), Ct)).Granted.ShouldBeFalse();

        Time.Advance(TimeSpan.FromMinutes(1));

        (await Store.Gateway.TryReserveAsync("ws-a", BudgetUse.OneToolCall, Time.GetUtcNow(), Ct)).Granted.ShouldBeTrue();
    }

    [Fact]
    public async Task TryReserveAsync_64ConcurrentReservationsOnTwoInstances_NeverOverspends()
    {
        var other = await OpenInstanceAsync();
        await SetBudgetAsync(new BudgetLimits(null, 25, null, null));
        for (var window = 0; window < 4; window++, Time.Advance(TimeSpan.FromHours(1)))
        {
            var now = Time.GetUtcNow();

            var results = await RaceAsync(64, async i => await (i % 2 == 0 ? Store.Gateway : other.Gateway).TryReserveAsync("ws-a", BudgetUse.OneToolCall, now, Ct));

            results.Count(r => r.Granted).ShouldBe(25, $"window {window}");
            (await other.Gateway.GetWindowUseAsync("ws-a", now, Ct))!.Value.ToolCalls.ShouldBe(25, $"window {window}");
        }
    }

    [Fact]
    public async Task SetWorkspaceBudgetAsync_RoundTripsAndRemoves()
    {
        var budget = new WorkspaceBudget(TimeSpan.FromHours(1), new BudgetLimits(10, 5, 1000, 1.25m));
        await Store.Gateway.SetWorkspaceBudgetAsync("ws-a", budget, Ct);
        (await Store.Gateway.GetWorkspaceBudgetAsync("ws-a", Ct)).ShouldBe(budget);

        await Store.Gateway.SetWorkspaceBudgetAsync("ws-a", null, Ct);
        (await Store.Gateway.GetWorkspaceBudgetAsync("ws-a", Ct)).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => Store.Gateway.SetWorkspaceBudgetAsync("ws-a", budget with { Window = TimeSpan.FromMilliseconds(10) }, Ct));
    }

    private Task SetBudgetAsync(BudgetLimits limits, TimeSpan? window = null) =>
        Store.Gateway.SetWorkspaceBudgetAsync("ws-a", new WorkspaceBudget(window ?? TimeSpan.FromHours(1), limits), Ct);
}
