using System.Globalization;
using Keel.Approvals;
using Keel.Diagnostics;
using Keel.Server.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The approvals inbox (<c>/approvals</c>): pending approvals with the call, the plan, the rule and the time left; approve
/// or deny with a note. A decision goes through <see cref="IApprovalStore.DecideAsync"/> (which applies <see cref="ApprovalDecision"/>)
/// exactly as <c>POST /v1/approvals/{id}/approve|deny</c> does, so the held call runs when the agent proposes it again.</summary>
internal sealed class ApprovalsModel(IApprovalStore store, AccessGuard guard, TimeProvider time) : PageModel
{
    /// <summary>The pending approvals, oldest first (the first to expire on top).</summary>
    public IReadOnlyList<Approval> Pending { get; private set; } = [];

    /// <summary>The server's time the page was made at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The outcome of the last decision, or <see langword="null"/>.</summary>
    [TempData]
    public string? Message { get; set; }

    /// <summary>Whether <see cref="Message"/> is an error.</summary>
    [TempData]
    public bool MessageIsError { get; set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow();
        Pending = [.. (await store.ListAsync(Caller.Of(HttpContext).WorkspaceId, ApprovalStatus.Pending, 500, HttpContext.RequestAborted))
            .Where(a => a.StatusAt(Now) == ApprovalStatus.Pending).OrderBy(a => a.ExpiresAt)];
    }

    public async Task<IActionResult> OnPostDecideAsync(string? id, string? decision, string? note)
    {
        if (id is null || decision is not ("approve" or "deny"))
        {
            return BadRequest();
        }

        if (note is { Length: > 2000 })
        {
            (Message, MessageIsError) = ("A note has at most 2,000 characters.", true);
            return RedirectToPage();
        }

        var caller = Caller.Of(HttpContext);
        var (approval, error) = await store.DecideAsync(caller.WorkspaceId, id, caller.Key.Name, decision == "approve",
            string.IsNullOrWhiteSpace(note) ? null : note, time.GetUtcNow(), HttpContext.RequestAborted);
        if (approval is null)
        {
            if (await guard.OwnedElsewhereAsync(HttpContext, Keel.Storage.ResourceKind.Approval, id))
            {
                await guard.RecordAsync(HttpContext, $"approval '{id}' belongs to another workspace");
                return Forbid(ConsoleSession.Scheme);
            }

            return NotFound();
        }

        if (error is not null)
        {
            (Message, MessageIsError) = (error, true);
            return RedirectToPage();
        }

        if (approval.Status is ApprovalStatus.Granted or ApprovalStatus.Denied)
        {
            KeelDiagnostics.ApprovalResolved(approval.ToolName);
        }

        (Message, MessageIsError) = ($"{approval.ToolName} ({approval.Id}): {Keel.Storage.RunEventJson.EnumName(approval.Status)}.", false);
        return RedirectToPage();
    }

    /// <summary>A time left as text, e.g. <c>2h 05m</c> or <c>3m 20s</c>.</summary>
    public static string Left(TimeSpan left) => left <= TimeSpan.Zero ? "none"
        : left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h {left.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}m {left.Seconds:00}s");
}
