using System.Text.Json;
using Keel.Approvals;
using Keel.Audit;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Console.Runs;
using Keel.Interventions;
using Keel.Server.Interventions;
using Keel.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>A run's timeline (<c>/runs/{id}</c>): every event in order and the run's audit chain status. Another workspace's run
/// id is refused 403 and recorded in the access log, as the API's <see cref="AccessGuard"/> does; an unknown id is 404. Its
/// intervention controls (pause, take over, release, write, decide on a held reply) post here and go through
/// <see cref="Intervener"/>, the same code as the intervention API; the outcome shows as <see cref="Message"/> after a redirect. The page
/// stays current by itself: <see cref="RunStream"/> sends <c>changed</c> and htmx reloads the page's live part (fields being typed in
/// are kept, <c>hx-preserve</c>).</summary>
internal sealed class RunModel(IRunStore runs, IApprovalStore approvals, AccessGuard guard, Intervener intervener, TimeProvider time, IServiceProvider services) : PageModel
{
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>The run, or <see langword="null"/> when refused.</summary>
    public Run? Run { get; private set; }

    /// <summary>Why the run is not shown, or <see langword="null"/>.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The problems of the run's hash chain (empty: verified), or <see langword="null"/> when the store keeps none.</summary>
    public IReadOnlyList<AuditProblem>? AuditProblems { get; private set; }

    /// <summary>The run's approvals still pending, the first to expire first.</summary>
    public IReadOnlyList<Approval> WaitingApprovals { get; private set; } = [];

    /// <summary>When the page was read (for the approvals' time left).</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>How many event records the chain check read.</summary>
    public int AuditEvents { get; private set; }

    /// <summary>The outcome of the last intervention posted from this page, or <see langword="null"/>.</summary>
    [TempData]
    public string? Message { get; set; }

    /// <summary>Whether <see cref="Message"/> is an error.</summary>
    [TempData]
    public bool MessageIsError { get; set; }

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

        Now = time.GetUtcNow();
        WaitingApprovals = await approvals.ListPendingForRunAsync(workspace, id, Now, cancellationToken);
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

    /// <summary>Pause, take over or release (<paramref name="action"/>: <c>pause</c>, <c>takeover</c>, <c>release</c>).</summary>
    public async Task<IActionResult> OnPostInterveneAsync(string id, string? action, string? note)
    {
        if (action is not (InterventionActions.Pause or InterventionActions.Takeover or InterventionActions.Release))
        {
            return BadRequest();
        }

        var done = action == InterventionActions.Pause ? "paused" : action == InterventionActions.Takeover ? "taken over" : "released";
        return Show(id, await intervener.ChangeAsync(HttpContext, id, action, Optional(note)), $"Run {done} by {Caller.Of(HttpContext).Key.Name}.");
    }

    /// <summary>The operator's message to the customer on a run taken over.</summary>
    public async Task<IActionResult> OnPostWriteAsync(string id, string? content) =>
        Show(id, await intervener.WriteAsync(HttpContext, id, content, channel: null), "Message sent to the customer.");

    /// <summary>A decision on a held reply: send, edit, replace or discard (edit and replace with <paramref name="content"/>).</summary>
    public async Task<IActionResult> OnPostDecideAsync(string id, string? interventionId, string? decision, string? content, string? note)
    {
        if (interventionId is null)
        {
            return BadRequest();
        }

        var text = decision is "edit" or "replace" ? content : null;
        return Show(id, await intervener.DecideAsync(HttpContext, id, interventionId, decision, text, Optional(note)), $"Held reply {interventionId}: {decision}.");
    }

    /// <summary>Back to the run page with the outcome; a run of another workspace is refused as the API refuses it (403, recorded
    /// by <see cref="Intervener"/> through <see cref="AccessGuard"/>).</summary>
    private IActionResult Show(string id, IResult result, string done)
    {
        if (result is IStatusCodeHttpResult { StatusCode: 403 })
        {
            return Forbid(ConsoleSession.Scheme);
        }

        (Message, MessageIsError) = result is IStatusCodeHttpResult { StatusCode: >= 400 }
            ? (result is IValueHttpResult { Value: ProblemDetails { Detail: { } detail } } ? detail : "The intervention was not applied.", true)
            : (done, false);
        return RedirectToPage(null, null, new { id }, "intervention");
    }

    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

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
