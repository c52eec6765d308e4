using Keel.Budgets;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Budgets;

/// <summary>The workspace budget: limits per window and what the current window has used.</summary>
/// <param name="WindowSeconds">The window length in seconds (windows start at multiples of it since the Unix epoch, UTC).</param>
/// <param name="MaxSteps">Steps per window; null for no limit.</param>
/// <param name="MaxToolCalls">Tool calls per window.</param>
/// <param name="MaxTokens">Model tokens per window.</param>
/// <param name="MaxCostUsd">Model cost per window, USD.</param>
/// <param name="Used">What the current window has used (read only).</param>
public sealed record WorkspaceBudgetDto(long WindowSeconds, int? MaxSteps, int? MaxToolCalls, long? MaxTokens, decimal? MaxCostUsd, BudgetUseDto? Used = null);

/// <summary>Budget use.</summary>
public sealed record BudgetUseDto(int Steps, int ToolCalls, long Tokens, decimal CostUsd);

/// <summary><c>GET</c>/<c>PUT /v1/workspace/budget</c>.</summary>
internal static class BudgetApi
{
    /// <summary>The longest budget window, in seconds: 366 days.</summary>
    public const long MaxWindowSeconds = 366L * 24 * 60 * 60;

    /// <summary>The largest cost limit, USD (10¹²): budgets count cost in micro-USD in 64-bit integers (at most about 9.2 × 10¹² USD).</summary>
    public const decimal MaxCostUsd = 1_000_000_000_000m;

    public static IEndpointRouteBuilder MapBudgetApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/workspace/budget").WithTags("budgets");
        group.MapGet("/", async (HttpContext http, IWorkspaceStore store, IBudgetLedger ledger, TimeProvider time) =>
        {
            var workspace = Caller.Of(http).WorkspaceId;
            if (await store.GetWorkspaceBudgetAsync(workspace, http.RequestAborted) is not { } budget)
            {
                return Problems.NotFound("budget", workspace);
            }

            var used = await ledger.GetWindowUseAsync(workspace, time.GetUtcNow(), http.RequestAborted) ?? default;
            return Results.Ok(new WorkspaceBudgetDto((long)budget.Window.TotalSeconds, budget.Limits.MaxSteps, budget.Limits.MaxToolCalls, budget.Limits.MaxTokens,
                budget.Limits.MaxCostUsd, new BudgetUseDto(used.Steps, used.ToolCalls, used.Tokens, used.CostUsd)));
        }).RequireRole(KeelRole.Operator).WithName("GetWorkspaceBudget");
        group.MapPut("/", async (WorkspaceBudgetDto? request, HttpContext http, IWorkspaceStore store) =>
        {
            if (request is null || request.WindowSeconds is < 1 or > MaxWindowSeconds)
            {
                return Problems.Invalid("$.window_seconds", $"window_seconds is required, a whole number from 1 to {MaxWindowSeconds} (366 days)");
            }

            var negative = request.MaxSteps < 0 ? "max_steps" : request.MaxToolCalls < 0 ? "max_tool_calls" : request.MaxTokens < 0 ? "max_tokens" : null;
            if (negative is not null)
            {
                return Problems.Invalid("$." + negative, $"{negative} is zero or more (null for no limit)");
            }

            if (request.MaxCostUsd is < 0 or > MaxCostUsd)
            {
                return Problems.Invalid("$.max_cost_usd", $"max_cost_usd is from 0 to {MaxCostUsd:N0} USD (null for no limit)");
            }

            var budget = new WorkspaceBudget(TimeSpan.FromSeconds(request.WindowSeconds), new BudgetLimits(request.MaxSteps, request.MaxToolCalls, request.MaxTokens, request.MaxCostUsd));
            await store.SetWorkspaceBudgetAsync(Caller.Of(http).WorkspaceId, budget, http.RequestAborted);
            return Results.Ok(request with { Used = null });
        }).RequireRole(KeelRole.Admin).WithName("SetWorkspaceBudget");
        return app;
    }
}
