using System.Globalization;
using Keel.Gateway;
using Keel.Knowledge;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Knowledge;

/// <summary>The knowledge API (docs/grounding.md): a workspace's documents (admin keys write and read them) and permission-aware search
/// for any key of the workspace, with the asker's groups. Documents are stored through <see cref="IKnowledgeStore"/> with their
/// passages' embeddings (they survive a restart and are shared by every server on the database); searches run on
/// <see cref="KnowledgeCache"/>, rebuilt when the workspace's knowledge version moves.</summary>
internal static class KnowledgeApi
{
    /// <summary>The most groups one document or one asker may name: 100.</summary>
    public const int MaxGroups = 100;

    /// <summary>The longest group name, in characters: 100.</summary>
    public const int MaxGroupLength = 100;

    public static IEndpointRouteBuilder MapKnowledgeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/knowledge").WithTags("knowledge");
        group.MapPut("/documents/{documentId}", PutAsync).RequireRole(KeelRole.Admin).WithName("PutKnowledgeDocument")
            .Produces<KnowledgeDocumentInfo>(StatusCodes.Status201Created).Produces<KnowledgeDocumentInfo>();
        group.MapGet("/documents/{documentId}", GetAsync).RequireRole(KeelRole.Admin).WithName("GetKnowledgeDocument").Produces<KnowledgeDocumentInfo>();
        group.MapDelete("/documents/{documentId}", DeleteAsync).RequireRole(KeelRole.Admin).WithName("DeleteKnowledgeDocument");
        group.MapGet("/search", SearchAsync).WithName("SearchKnowledge").Produces<KnowledgeSearchAnswer>();
        return app;
    }

    private static async Task<IResult> PutAsync(string documentId, KnowledgeDocumentRequest? request, HttpContext http)
    {
        if (Cache(http) is not { } knowledge)
        {
            return NotConfigured();
        }

        if (InvalidId(documentId) is { } badId)
        {
            return badId;
        }

        if (request?.Text is null)
        {
            return Problems.Invalid("$.text", "text is required: the document's Markdown or plain text, with optional front matter 'groups: [a, b]'");
        }

        // The same reading as the folder loader: front matter with groups, or none (everyone).
        var (parsed, error) = KnowledgeLoader.Parse(request.Text, "$.text", documentId);
        if (error is not null)
        {
            return Problems.Invalid("$.text", string.Create(CultureInfo.InvariantCulture, $"front matter line {error.Line}: {error.Message}"));
        }

        var groups = parsed!.Groups;
        if (request.Groups is not null)
        {
            if (groups.Count > 0)
            {
                return Problems.Invalid("$.groups", "the text's front matter names groups too; give the groups in one place");
            }

            if (InvalidGroups(request.Groups, "$.groups") is { } badGroups)
            {
                return badGroups;
            }

            groups = request.Groups;
        }

        var caller = Caller.Of(http);
        var (stored, created) = await knowledge.PutAsync(caller.WorkspaceId, new KnowledgeDocument(documentId, parsed.Text, [.. groups]), caller.Key.Id, http.RequestAborted);
        var info = Info(stored, withText: false);
        return created ? TypedResults.Created($"/v1/knowledge/documents/{Uri.EscapeDataString(documentId)}", info) : TypedResults.Ok(info);
    }

    private static async Task<IResult> GetAsync(string documentId, HttpContext http)
    {
        if (Cache(http) is null)
        {
            return NotConfigured();
        }

        return await Store(http).GetKnowledgeDocumentAsync(Caller.Of(http).WorkspaceId, documentId, http.RequestAborted) is { } found
            ? TypedResults.Ok(Info(found, withText: true))
            : Problems.NotFound("knowledge document", documentId);
    }

    private static async Task<IResult> DeleteAsync(string documentId, HttpContext http)
    {
        if (Cache(http) is null)
        {
            return NotConfigured();
        }

        return await Store(http).DeleteKnowledgeDocumentAsync(Caller.Of(http).WorkspaceId, documentId, http.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound("knowledge document", documentId);
    }

    private static KnowledgeDocumentInfo Info(StoredKnowledgeDocument document, bool withText) =>
        new(document.Id, [.. KnowledgeGroups.ForDocument(document.Groups).Order(StringComparer.Ordinal)], document.Passages.Count, withText ? document.Text : null);

    private static async Task<IResult> SearchAsync(HttpContext http, string? q, string? groups, string? top)
    {
        if (Cache(http) is not { } cache)
        {
            return NotConfigured();
        }

        if (string.IsNullOrWhiteSpace(q) || q.Length > 4000)
        {
            return Problems.Invalid("query:q", "q is the question, 1 to 4000 characters");
        }

        var (k, badTop) = QueryInteger.Parse(top, "top", 1, cache.Options.MaxTop, cache.Options.DefaultTop);
        if (badTop is not null)
        {
            return badTop;
        }

        var asker = (groups ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (InvalidGroups(asker, "query:groups") is { } badGroups)
        {
            return badGroups;
        }

        // The Core search: the asker's groups filter the passages before any is scored, so nothing here depends on a foreign passage.
        var knowledge = await cache.ForAsync(Caller.Of(http).WorkspaceId, http.RequestAborted);
        var result = await knowledge.SearchAsync(q, asker, (int)k, http.RequestAborted);
        return TypedResults.Ok(new KnowledgeSearchAnswer(
            result.Query,
            RunEventJson.EnumName(result.Decision),
            result.BestScore,
            result.Threshold,
            [.. result.Hits.Select(h => new KnowledgeHit(h.Passage.Id, h.Passage.DocumentId, h.Passage.Text, h.Score))]));
    }

    private static KnowledgeCache? Cache(HttpContext http) => http.RequestServices.GetService<KnowledgeCache>();

    private static IKnowledgeStore Store(HttpContext http) => http.RequestServices.GetRequiredService<IKnowledgeStore>();

    private static IResult NotConfigured() =>
        Problems.Of(501, "knowledge-not-configured", "Knowledge base not configured",
            "this server has no embedding generator for the knowledge base; start it with keel serve (all-MiniLM-L6-v2 by default) or set KeelServerOptions.Embeddings");

    private static IResult? InvalidId(string id) =>
        !LiveRequestRules.IsValidRunId(id) // the same rule as a run id's: a segment of the URL
            ? Problems.Invalid("path:document_id", "a document id has 1 to 200 characters, without spaces or / \\ ? # % (it is part of the document's URL)")
            : null;

    private static IResult? InvalidGroups(IReadOnlyCollection<string> groups, string path) =>
        groups.Count > MaxGroups || groups.Any(g => string.IsNullOrWhiteSpace(g) || g.Length > MaxGroupLength || g.Any(char.IsControl))
            ? Problems.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"at most {MaxGroups} groups, each 1 to {MaxGroupLength} characters without control characters"))
            : null;
}
