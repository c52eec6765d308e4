using Keel.Server.Access;
using Keel.Server.Console.Handoffs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The handoff queue (<c>/handoffs</c>): runs that ended handed off or safely stopped with their handoff packets; claim
/// and resolve (<see cref="HandoffQueue"/> records both as events of the run).</summary>
internal sealed class HandoffsModel(HandoffQueue queue) : PageModel
{
    /// <summary>The queue.</summary>
    public IReadOnlyList<HandoffItem> Items { get; private set; } = [];

    /// <summary>Whether resolved runs are shown too.</summary>
    [BindProperty(SupportsGet = true, Name = "resolved")]
    public bool IncludeResolved { get; set; }

    /// <summary>The outcome of the last claim or resolution, or <see langword="null"/>.</summary>
    [TempData]
    public string? Message { get; set; }

    /// <summary>Whether <see cref="Message"/> is an error.</summary>
    [TempData]
    public bool MessageIsError { get; set; }

    public async Task OnGetAsync() =>
        Items = await queue.LoadAsync(Caller.Of(HttpContext).WorkspaceId, IncludeResolved, HttpContext.RequestAborted);

    public Task<IActionResult> OnPostClaimAsync(string runId) => RecordAsync(runId, HandoffQueue.Claimed, "claimed");

    public Task<IActionResult> OnPostResolveAsync(string runId) => RecordAsync(runId, HandoffQueue.Resolved, "resolved");

    private async Task<IActionResult> RecordAsync(string runId, string action, string done)
    {
        var caller = Caller.Of(HttpContext);
        var error = await queue.RecordAsync(caller.WorkspaceId, runId, action, caller.Key.Name, HttpContext.RequestAborted);
        (Message, MessageIsError) = error is null ? ($"Run {runId} {done} by {caller.Key.Name}.", false) : (error, true);
        return RedirectToPage();
    }
}
