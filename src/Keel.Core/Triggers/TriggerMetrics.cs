using Keel.Drift;

namespace Keel.Triggers;

/// <summary>The metrics triggers are judged on: the standard drift metrics (<see cref="DriftMetrics.Standard"/>) and three more, all
/// tested together so that one Benjamini–Hochberg correction covers every metric any trigger reads.</summary>
public static class TriggerMetrics
{
    /// <summary>Runs with a high-severity failure (<see cref="RunMetrics.HighSeverityFailure"/>).</summary>
    public const string HighSeverityFailureRate = "high_severity_failure_rate";

    /// <summary>Write calls held for approval or a plan, denied or escalated (<see cref="RunMetrics.WritesHeld"/> +
    /// <see cref="RunMetrics.WritesDenied"/>), per write call.</summary>
    public const string WriteGatedRate = "write_gated_rate";

    /// <summary>Runs an operator had to rescue: a takeover or a handoff to a human.</summary>
    public const string RescueRate = "rescue_rate";

    /// <summary>The standard metrics followed by the three above.</summary>
    public static IReadOnlyList<DriftMetric> All { get; } =
    [
        .. DriftMetrics.Standard,
        new RunRateMetric(HighSeverityFailureRate, "runs with a high-severity failure found by a monitor (claimed action that failed or never happened, malformed call, injected instruction)", r => r.HighSeverityFailure, "no runs"),
        new CallRateMetric(WriteGatedRate, "write calls Keel would hold for approval or a plan, deny or escalate", "write calls", r => (r.WritesHeld + r.WritesDenied, r.WriteCalls)),
        new RunRateMetric(RescueRate, "runs an operator had to rescue: a takeover or a handoff to a human", r => r.HandedOff || r.Takeovers > 0, "no runs"),
    ];
}
