using Keel.Gateway;
using Keel.Model;
using Keel.Monitors;
using Keel.Storage;

namespace Keel.Server.Runs;

/// <summary>A run the server is driving: the run record, its pipeline state and monitors, and the lock that makes its calls
/// one at a time (parallel calls of one turn are decided one by one, each on its own). It is a cache of the stored run: any
/// request that fails throws it away, and it is rebuilt from the store when addressed again.</summary>
internal sealed class LiveRun(Run run, RunState state, AgentVersion agent, RunMonitors monitors, long storedSequence)
{
    private readonly HashSet<string> _callIds = [.. run.Events.OfType<ToolCallEvent>().Select(e => e.Call.Id)];

    public Run Run { get; } = run;

    public RunState State { get; } = state;

    public AgentVersion Agent { get; } = agent;

    public RunMonitors Monitors { get; } = monitors;

    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The sequence number of the last event known to be stored (the optimistic check of the next commit).</summary>
    public long StoredSequence { get; set; } = storedSequence;

    /// <summary>A commit whose tool call already ran but which the store refused; retried until it is stored
    /// (<see cref="UnrecordedOutcomes"/>). While it is set, the run takes no new work.</summary>
    public RunCommit? Pending { get; set; }

    /// <summary>When the run was last addressed (for evicting idle runs).</summary>
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Set once the run was thrown out of the cache: a request that waited for its lock must look it up again.</summary>
    public bool Evicted { get; set; }

    /// <summary>The run's <c>invoke_agent</c> span while it is open in this process; <see langword="null"/> without a listener.</summary>
    public System.Diagnostics.Activity? Span { get; set; }

    /// <summary>Console lines to write once the current request's changes are stored (<see cref="LiveGateway.LogAfterCommit"/>).</summary>
    public List<Action> AfterCommit { get; } = [];

    public bool IsOpen => Run.Status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused or RunStatus.TakenOver;

    /// <summary>Records that every event of the run is now stored.</summary>
    public void MarkStored() => StoredSequence = LastSequence(Run);

    /// <summary>The sequence number of a run's last event, 0 for none.</summary>
    public static long LastSequence(Run run) => run.Events.Count == 0 ? 0 : run.Events[^1].Sequence;

    /// <summary>Whether a call with this id was already proposed in the run.</summary>
    public bool HasCall(string callId) => _callIds.Contains(callId);

    /// <summary>Remembers a proposed call id.</summary>
    public void AddCall(string callId) => _callIds.Add(callId);
}
