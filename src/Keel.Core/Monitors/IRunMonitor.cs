using Keel.Model;

namespace Keel.Monitors;

/// <summary>Watches the event stream of runs and reports findings. Monitors are shared and thread-safe; per-run state lives in the session.</summary>
public interface IRunMonitor
{
    /// <summary>Monitor name recorded on its findings, e.g. <c>claim_result</c>.</summary>
    string Name { get; }

    /// <summary>Starts watching one run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="agent">Its agent version (tool catalog, handoff settings).</param>
    /// <returns>The per-run session.</returns>
    IMonitorSession Start(Run run, AgentVersion agent);
}

/// <summary>A monitor watching one run.</summary>
public interface IMonitorSession
{
    /// <summary>Sees an appended event.</summary>
    /// <param name="runEvent">The event.</param>
    /// <param name="findings">Where to add findings.</param>
    void Observe(RunEvent runEvent, ICollection<Finding> findings);

    /// <summary>The run ended.</summary>
    /// <param name="findings">Where to add findings.</param>
    void Complete(ICollection<Finding> findings);
}
