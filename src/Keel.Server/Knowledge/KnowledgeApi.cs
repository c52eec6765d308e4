using System.Globalization;
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
/// for any key of the workspace, with the asker's groups. Documents live in memory per workspace, as the folder loader's do: they last
/// as long as the process (a restart starts empty; load them again).</summary>
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
        group.MapGet("/documents/{documentId}", Get).RequireRole(KeelRole.Admin).WithName("GetKnowledgeDocument").Produces<KnowledgeDocumentInfo>();
        group.MapDelete("/documents/{documentId}", Delete).RequireRole(KeelRole.Admin).WithName("DeleteKnowledgeDocument");
        group.MapGet("/search", SearchAsync).WithName("SearchKnowledge").Produces<KnowledgeSearchAnswer>();
        return app;
    }

    private static async Task<IResult> PutAsync(string documentId, KnowledgeDocumentRequest? request, HttpContext http)
    {
        if (Base(http) is not { } knowledge)
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

        var document = new KnowledgeDocument(documentId, parsed.Text, [.. groups]);
        var existed = knowledge.Document(documentId) is not null;
        var passages = await knowledge.AddAsync(document, http.RequestAborted);
        var info = new KnowledgeDocumentInfo(documentId, [.. KnowledgeGroups.ForDocument(document.Groups).Order(StringComparer.Ordinal)], passages.Count, null);
        return existed ? TypedResults.Ok(info) : TypedResults.Created($"/v1/knowledge/documents/{Uri.EscapeDataString(documentId)}", info);
    }

    private static IResult Get(string documentId, HttpContext http)
    {
        if (Base(http) is not { } knowledge)
        {
            return NotConfigured();
        }

        return knowledge.Document(documentId) is { } found
            ? TypedResults.Ok(new KnowledgeDocumentInfo(documentId, [.. KnowledgeGroups.ForDocument(found.Document.Groups).Order(StringComparer.Ordinal)], found.Passages, found.Document.Text))
            : Problems.NotFound("knowledge document", documentId);
    }

    private static IResult Delete(string documentId, HttpContext http)
    {
        if (Base(http) is not { } knowledge)
        {
            return NotConfigured();
        }

        return knowledge.Remove(documentId) ? TypedResults.NoContent() : Problems.NotFound("knowledge document", documentId);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, string? q, string? groups, string? top)
    {
        if (Base(http) is not { } knowledge)
        {
            return NotConfigured();
        }

        if (string.IsNullOrWhiteSpace(q) || q.Length > 4000)
        {
            return Problems.Invalid("query:q", "q is the question, 1 to 4000 characters");
        }

        var (k, badTop) = QueryInteger.Parse(top, "top", 1, knowledge.Options.MaxTop, knowledge.Options.DefaultTop);
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
        var result = await knowledge.SearchAsync(q, asker, (int)k, http.RequestAborted);
        return TypedResults.Ok(new KnowledgeSearchAnswer(
            result.Query,
            RunEventJson.EnumName(result.Decision),
            result.BestScore,
            result.Threshold,
            [.. result.Hits.Select(h => new KnowledgeHit(h.Passage.Id, h.Passage.DocumentId, h.Passage.Text, h.Score))]));
    }

    private static KnowledgeBase? Base(HttpContext http) =>
        http.RequestServices.GetService<KnowledgeBases>()?.For(Caller.Of(http).WorkspaceId);

    private static IResult NotConfigured() =>
        Problems.Of(501, "knowledge-not-configured", "Knowledge base not configured",
            "this server has no embedding generator for the knowledge base; start it with keel serve (all-MiniLM-L6-v2 by default) or set KeelServerOptions.Embeddings");

    private static IResult? InvalidId(string id) =>
        id.Length is 0 or > 200 || id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '%')
            ? Problems.Invalid("path:document_id", "a document id has 1 to 200 characters, without spaces or / \\ ? # % (it is part of the document's URL)")
            : null;

    private static IResult? InvalidGroups(IReadOnlyCollection<string> groups, string path) =>
        groups.Count > MaxGroups || groups.Any(g => string.IsNullOrWhiteSpace(g) || g.Length > MaxGroupLength || g.Any(char.IsControl))
            ? Problems.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"at most {MaxGroups} groups, each 1 to {MaxGroupLength} characters without control characters"))
            : null;
}
