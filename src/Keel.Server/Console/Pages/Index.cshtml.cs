using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Console.Feed;
using Keel.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Console.Pages;

/// <summary>The live feed (<c>/</c>): the workspace's going runs ranked by risk, reloaded by htmx when the stream says it changed.</summary>
internal sealed class IndexModel(LiveFeed feed) : PageModel
{
    /// <summary>The statuses the filter offers besides the default.</summary>
    public static readonly IReadOnlyList<string> Statuses = [.. Enum.GetValues<RunStatus>().Select(s => RunEventJson.EnumName(s)), "all"];

    /// <summary>The filters from the query string.</summary>
    public FeedFilter Filter { get; private set; } = new(null, null, null, null);

    /// <summary>The feed.</summary>
    public FeedPage Feed { get; private set; } = new([], [], [], 0);

    public async Task OnGetAsync(string? agent, string? version, string? status, string? tag, string? channel) =>
        await LoadAsync(new FeedFilter(agent, version, status, tag, channel));

    /// <summary>The rows alone, for htmx's reload on the stream's <c>changed</c> event.</summary>
    public async Task<IActionResult> OnGetRowsAsync(string? agent, string? version, string? status, string? tag, string? channel)
    {
        await LoadAsync(new FeedFilter(agent, version, status, tag, channel));
        return Partial("_FeedRows", Feed);
    }

    private async Task LoadAsync(FeedFilter filter)
    {
        Filter = filter;
        Feed = await feed.LoadAsync(Caller.Of(HttpContext).WorkspaceId, Filter, HttpContext.RequestAborted);
    }
}
