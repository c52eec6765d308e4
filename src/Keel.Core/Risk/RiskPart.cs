namespace Keel.Risk;

/// <summary>One part of a run's <see cref="RiskScore"/>: what it counts, the points it adds and why, shown beside the score so an
/// operator sees what put a run at the top of the feed.</summary>
/// <param name="Name">The part: <c>findings</c>, <c>sentiment</c>, <c>approvals</c>, <c>budget</c> or <c>failures</c>
/// (<see cref="RiskScore"/>'s constants).</param>
/// <param name="Points">The points it adds, from 0 to its cap (dimensionless).</param>
/// <param name="Detail">What was counted, e.g. <c>1 high, 2 medium</c>; empty when the part adds nothing.</param>
public sealed record RiskPart(string Name, double Points, string Detail);
