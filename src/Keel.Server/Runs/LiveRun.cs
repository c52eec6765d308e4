using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;

namespace Keel.Server.Runs;

/// <summary>A run the server is driving: the run record, its pipeline state and monitors, and the lock that makes its calls
/// one at a time (parallel calls of one turn are decided one by one, each on its own).</summary>
internal sealed class LiveRun(Run run, RunState state, AgentVersion agent, RunMonitors monitors)
{
    public Run Run { get; } = run;

    public RunState State { get; } = state;

    public AgentVersion Agent { get; } = agent;

    public RunMonitors Monitors { get; } = monitors;

    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The run's <c>invoke_agent</c> span while it is open in this process; <see langword="null"/> without a listener.</summary>
    public System.Diagnostics.Activity? Span { get; set; }

    public bool IsOpen => Run.Status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused;
}
