using System.Text.Json;
using Keel.Audit;
using Keel.Model;
using Keel.Server.Access;
using Keel.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>A run's timeline (<c>/runs/{id}</c>): every event in order and the run's audit chain status. Another workspace's run
/// id is refused 403 and recorded in the access log, as the API's <see cref="AccessGuard"/> does; an unknown id is 404.</summary>
internal sealed class RunModel(IRunStore runs, AccessGuard guard, IServiceProvider services) : PageModel
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>The run, or <see langword="null"/> when refused.</summary>
    public Run? Run { get; private set; }

    /// <summary>Why the run is not shown, or <see langword="null"/>.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The problems of the run's hash chain (empty: verified), or <see langword="null"/> when the store keeps none.</summary>
    public IReadOnlyList<AuditProblem>? AuditProblems { get; private set; }

    /// <summary>How many event records the chain check read.</summary>
    public int AuditEvents { get; private set; }

    public async Task OnGetAsync(string id)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var workspace = Caller.Of(HttpContext).WorkspaceId;
        Run = await runs.GetRunAsync(workspace, id, cancellationToken);
        if (Run is null)
        {
            if (await guard.OwnedElsewhereAsync(HttpContext, ResourceKind.Run, id))
            {
                await guard.RecordAsync(HttpContext, $"run '{id}' belongs to another workspace");
                Response.StatusCode = 403;
                Refusal = $"Run '{id}' belongs to another workspace: refused (recorded in the access log).";
            }
            else
            {
                Response.StatusCode = 404;
                Refusal = $"This workspace has no run '{id}'.";
            }

            return;
        }

        if (services.GetService<IAuditLog>() is { } log)
        {
            var records = new List<AuditEventRecord>();
            while (true)
            {
                var page = await log.GetEventRecordsAsync(workspace, id, records.Count == 0 ? 0 : records[^1].Sequence, 1000, cancellationToken);
                records.AddRange(page);
                if (page.Count < 1000)
                {
                    break;
                }
            }

            AuditEvents = records.Count;
            AuditProblems = AuditVerifier.VerifyRunChain(workspace, id, records);
        }
    }

    /// <summary>JSON text indented for reading; other text as it is.</summary>
    public static string Pretty(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, _indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
