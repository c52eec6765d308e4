using Keel.Composition;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Keel.Versions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Versions;

/// <summary>The versions API (docs/versions.md, "API"): an agent's versions, their diff and history (operators), and register (from
/// uploaded files, <see cref="VersionRegistration"/>), validate, release, retire and rollback (admins) — the same checks and outcomes as <c>keel version</c>, through <see cref="VersionOperations"/>. The
/// actor recorded in the history is the caller's API key id. Refusals are problem answers: 404 <c>not-found</c>, 409
/// <c>version-conflict</c> (the action does not apply to the version's state), 400 <c>invalid-request</c>.</summary>
internal static class VersionsApi
{
    public static IEndpointRouteBuilder MapVersionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/agents/{agent}").WithTags("versions");
        group.MapGet("/versions", ListAsync).RequireRole(KeelRole.Operator).WithName("ListVersions").Produces<VersionListDto>();
        group.MapPost("/versions", VersionRegistration.RegisterAsync).RequireRole(KeelRole.Admin).WithName("RegisterVersion")
            .Produces<VersionRegisteredDto>(StatusCodes.Status201Created).Produces<VersionRegisteredDto>();
        group.MapGet("/versions/diff", DiffAsync).RequireRole(KeelRole.Operator).WithName("DiffVersions").Produces<VersionDiffDto>();
        group.MapGet("/versions/history", HistoryAsync).RequireRole(KeelRole.Operator).WithName("GetVersionHistory").Produces<VersionHistoryDto>();
        group.MapGet("/versions/{hash}", GetAsync).RequireRole(KeelRole.Operator).WithName("GetVersion").Produces<VersionDto>();
        group.MapPost("/versions/{hash}/validate", (string agent, string hash, HttpContext http, IVersionRegistry registry) =>
            ApplyAsync(http, registry, VersionActionKind.Validate, agent, hash, 100)).RequireRole(KeelRole.Admin).WithName("ValidateVersion").Produces<VersionOutcomeDto>();
        group.MapPost("/versions/{hash}/release", (string agent, string hash, ReleaseVersionRequest? request, HttpContext http, IVersionRegistry registry) =>
            request?.Share is { } share and (< 1 or > 100)
                ? Task.FromResult(Problems.Invalid("$.share", $"share {share} is outside 1–100 (per cent of the agent's new runs)"))
                : ApplyAsync(http, registry, VersionActionKind.Release, agent, hash, request?.Share ?? 100)).RequireRole(KeelRole.Admin).WithName("ReleaseVersion").Produces<VersionOutcomeDto>();
        group.MapPost("/versions/{hash}/retire", (string agent, string hash, HttpContext http, IVersionRegistry registry) =>
            ApplyAsync(http, registry, VersionActionKind.Retire, agent, hash, 100)).RequireRole(KeelRole.Admin).WithName("RetireVersion").Produces<VersionOutcomeDto>();
        group.MapPost("/rollback", (string agent, RollbackRequest? request, HttpContext http, IVersionRegistry registry) =>
            ApplyAsync(http, registry, VersionActionKind.Rollback, agent, request?.To, 100)).RequireRole(KeelRole.Admin).WithName("RollbackVersion").Produces<VersionOutcomeDto>();
        return app;
    }

    private static async Task<IResult> ListAsync(string agent, HttpContext http, IVersionRegistry registry, IRunStore runs)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        var versions = await registry.ListVersionsAsync(workspace, agent, http.RequestAborted);
        var figures = await VersionFigures.LoadAsync(runs, workspace, [.. versions.Select(v => v.Hash)], http.RequestAborted);
        return TypedResults.Ok(new VersionListDto([.. versions.Select(v => VersionDto.From(v) with
        {
            Workflows = figures.TryGetValue(v.Hash, out var of) ? [.. of.Select(WorkflowFiguresDto.From)] : [],
        })]));
    }

    private static async Task<IResult> GetAsync(string agent, string hash, HttpContext http, IVersionRegistry registry)
    {
        var found = await VersionOperations.FindAsync(registry, Caller.Of(http).WorkspaceId, hash, http.RequestAborted);
        if (found.Record is not { } record || record.Agent != agent)
        {
            return found.Error == VersionErrorKind.BadInput ? Problems.Invalid("path:hash", found.Message!) : Problems.NotFound($"version of agent '{agent}'", hash);
        }

        return TypedResults.Ok(VersionDto.From(record));
    }

    private static async Task<IResult> DiffAsync(string agent, HttpContext http, IVersionRegistry registry, KeelComponents components, string? from, string? to)
    {
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
        {
            return Problems.Invalid(string.IsNullOrEmpty(from) ? "query:from" : "query:to", "give both versions: ?from=<hash>&to=<hash> (a unique prefix will do)");
        }

        var workspace = Caller.Of(http).WorkspaceId;
        var before = await VersionOperations.LoadAsync(registry, workspace, from, components.PolicyOptions(), http.RequestAborted);
        var after = await VersionOperations.LoadAsync(registry, workspace, to, components.PolicyOptions(), http.RequestAborted);
        foreach (var (side, name) in new[] { (before, "query:from"), (after, "query:to") })
        {
            if (side.Error is { } error)
            {
                return side.StoreDamaged ? throw new StoreException(side.Message!) : Refusal(error, side.Message!, name);
            }

            if (side.Agent!.AgentName != agent)
            {
                return Problems.Invalid(name, $"{side.Content!.Hash} is a version of '{side.Agent.AgentName}', not of '{agent}'");
            }
        }

        var changes = VersionDiff.Compare((before.Agent!, before.Content!), (after.Agent!, after.Content!));
        return TypedResults.Ok(new VersionDiffDto(before.Content!.Hash, after.Content!.Hash, [.. changes.Select(c => new VersionChangeDto(c.Area, c.Text))]));
    }

    private static async Task<IResult> HistoryAsync(string agent, HttpContext http, IVersionRegistry registry)
    {
        var workspace = Caller.Of(http).WorkspaceId;
        var history = await registry.ListVersionHistoryAsync(workspace, http.RequestAborted);
        var problems = VersionHistory.Verify(workspace, history);
        return TypedResults.Ok(new VersionHistoryDto([.. history.Where(e => e.Agent == agent).Select(VersionEventDto.From)], problems.Count == 0, problems));
    }

    private static async Task<IResult> ApplyAsync(HttpContext http, IVersionRegistry registry, VersionActionKind kind, string agent, string? hash, int share)
    {
        var caller = Caller.Of(http);

        // Validation loads the stored bundle with the server's C# policies, so a kind: custom rule of a plugin resolves.
        var policies = http.RequestServices.GetRequiredService<KeelComponents>().PolicyOptions();
        var outcome = await VersionOperations.ApplyAsync(registry, caller.WorkspaceId, kind, hash, agent, caller.Key.Id, share, policies, http.RequestAborted);
        return outcome.Succeeded
            ? TypedResults.Ok(new VersionOutcomeDto([.. outcome.Changed.Select(VersionDto.From)], VersionEventDto.From(outcome.Event!)))
            : Refusal(outcome.Error!.Value, outcome.Message!, kind == VersionActionKind.Rollback ? "$.to" : "path:hash");
    }

    private static IResult Refusal(VersionErrorKind error, string message, string field) => error switch
    {
        VersionErrorKind.NotFound => Problems.Of(404, "not-found", "No such version", message),
        VersionErrorKind.Conflict => Problems.Of(409, "version-conflict", "The action does not apply", message + " Nothing was changed."),
        _ => Problems.Invalid(field, message),
    };
}
