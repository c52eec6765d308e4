using System.Collections.Concurrent;

namespace Keel.Server.Interventions;

/// <summary>Wakes the readers of a run's deliveries (the stream, the long-poll) as soon as this process commits to the run, so
/// they need not wait for their next poll of the store. Only a bonus: readers still poll the store, which is what lets them see
/// commits made through another instance.</summary>
/// <remarks>Thread-safe. A reader takes <see cref="Next"/> before it reads the store and waits on it after, so a commit between
/// the two is never missed.</remarks>
internal sealed class RunSignals
{
    private readonly ConcurrentDictionary<(string Workspace, string Run), TaskCompletionSource> _next = new();

    /// <summary>A task that completes at the run's next commit in this process.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The task (never faults).</returns>
    public Task Next(string workspaceId, string runId) =>
        _next.GetOrAdd((workspaceId, runId), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes every reader waiting on the run.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    public void Notify(string workspaceId, string runId)
    {
        if (_next.TryRemove((workspaceId, runId), out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
