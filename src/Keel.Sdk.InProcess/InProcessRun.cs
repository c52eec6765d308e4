using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;

namespace Keel.Sdk.InProcess;

/// <summary>A run the in-process gateway holds in memory: the run, the state policies read, its monitors and its lock. A cache of the
/// store: thrown away by any request that fails, and rebuilt when another process committed to the run (its stored head moved).</summary>
internal sealed class InProcessRun
{
    private readonly HashSet<string> _callIds;

    public InProcessRun(Run run, RunState state, AgentVersion agent, IReadOnlyList<IRunMonitor> monitors, long storedSequence)
    {
        Run = run;
        State = state;
        state.Observer = new RunMonitors(run, agent, monitors);
        StoredSequence = storedSequence;
        _callIds = [.. run.Events.OfType<ToolCallEvent>().Select(e => e.Call.Id)];
    }

    public Run Run { get; }

    public RunState State { get; }

    /// <summary>One request at a time per run.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The sequence of the last event the store holds.</summary>
    public long StoredSequence { get; private set; }

    /// <summary>Set when the cache entry was thrown away; a waiter that then gets the lock loads the run again.</summary>
    public bool Evicted { get; set; }

    /// <summary>Whether the agent may still act on the run (not completed, failed or handed off).</summary>
    public bool IsOpen => Run.Status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused or RunStatus.TakenOver;

    public static long LastSequence(Run run) => run.Events.Count == 0 ? 0 : run.Events[^1].Sequence;

    public void MarkStored() => StoredSequence = LastSequence(Run);

    public bool HasCall(string callId) => _callIds.Contains(callId);

    public void AddCall(string callId) => _callIds.Add(callId);
}
