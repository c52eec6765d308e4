using Keel.Model;

namespace Keel.Budgets;

/// <summary>A workspace's budget: limits on what all its runs together may use per fixed window of time.</summary>
/// <param name="Window">The window length; windows start at multiples of it since the Unix epoch (UTC).</param>
/// <param name="Limits">The limits per window; <see langword="null"/> members are unlimited.</param>
public sealed record WorkspaceBudget(TimeSpan Window, BudgetLimits Limits)
{
    /// <summary>The start of the window that holds <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The window start (UTC).</returns>
    public DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % Window.Ticks));
    }
}
