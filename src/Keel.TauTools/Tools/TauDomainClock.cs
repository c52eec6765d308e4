namespace Keel.TauTools.Tools;

/// <summary>
/// The clock of a tau-bench domain: stopped at the time the domain's policy states, so timestamps a tool writes agree
/// with the database and the policy the agent reads.
/// </summary>
/// <remarks>
/// Airline: "The current time is 2024-05-15 15:00:00 EST." (<c>wiki.md</c>), the <c>created_at</c> the reference writes for
/// every new reservation. Retail states no time and its tools write none; it gets the same instant. Thread-safe.
/// </remarks>
public sealed class TauDomainClock : TimeProvider
{
    /// <summary>2024-05-15 15:00:00 EST (UTC−5), the airline policy's "current time".</summary>
    public static readonly DateTimeOffset PolicyTime = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));

    private readonly DateTimeOffset _now;

    private TauDomainClock(DateTimeOffset now) => _now = now;

    /// <summary>Gets the clock of both domains: it always reads <see cref="PolicyTime"/>.</summary>
    public static TauDomainClock Default { get; } = new(PolicyTime);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();
}
