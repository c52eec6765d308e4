using System.Globalization;
using Keel.Approvals;
using Keel.Server.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The approvals inbox (<c>/approvals</c>): pending approvals with the call, the plan, the rule and the time left; approve
/// or deny with a note. A decision goes through <see cref="Keel.Server.Approvals.ApprovalDecider"/>, the same code as
/// <c>POST /v1/approvals/{id}/approve|deny</c>, so the held call runs when the agent proposes it again.</summary>
internal sealed class ApprovalsModel(IApprovalStore store, Keel.Server.Approvals.ApprovalDecider decider, AccessGuard guard, TimeProvider time) : PageModel
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

        var (approval, error) = await decider.DecideAsync(Caller.Of(HttpContext), id, decision == "approve", string.IsNullOrWhiteSpace(note) ? null : note, HttpContext.RequestAborted);
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

        (Message, MessageIsError) = ($"{approval.ToolName} ({approval.Id}): {Keel.Storage.RunEventJson.EnumName(approval.Status)}.", false);
        return RedirectToPage();
    }

    /// <summary>A time left as text, e.g. <c>2h 05m</c> or <c>3m 20s</c>.</summary>
    public static string Left(TimeSpan left) => left <= TimeSpan.Zero ? "none"
        : left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h {left.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes}m {left.Seconds:00}s");
}
