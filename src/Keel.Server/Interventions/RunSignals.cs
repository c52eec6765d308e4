namespace Keel.Server.Interventions;

/// <summary>Wakes the readers of a run (the delivery stream, the long-poll) and of a workspace (the console's live feed) as soon as
/// this process commits to a run, so they need not wait for their next poll of the store. Only a bonus: readers still poll the store,
/// slowly, which is what lets them see commits made through another instance.</summary>
/// <remarks>Thread-safe. A reader takes a <see cref="Watch"/> before it reads the store and waits on it after, so a commit between the
/// two is never missed, then disposes it. An entry lives only while someone watches: the last watcher's dispose, or the commit that
/// wakes them, removes it (<see cref="Watched"/>).</remarks>
internal sealed class RunSignals
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Workspace, string? Run), Entry> _entries = [];

    /// <summary>How many runs and workspaces are watched now (for tests and diagnostics).</summary>
    public int Watched
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Starts watching a run, or every run of a workspace.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run, or <see langword="null"/> for any run of the workspace.</param>
    /// <returns>The watch: its <see cref="Watch.Changed"/> completes at the next commit; dispose it when done waiting.</returns>
    public Watch Start(string workspaceId, string? runId)
    {
        lock (_lock)
        {
            var key = (workspaceId, runId);
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Watchers++;
            return new Watch(this, key, entry);
        }
    }

    /// <summary>Wakes every reader watching the run or its workspace.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run committed to.</param>
    public void Notify(string workspaceId, string runId)
    {
        Entry? run, workspace;
        lock (_lock)
        {
            _entries.Remove((workspaceId, runId), out run);
            _entries.Remove((workspaceId, null), out workspace);
        }

        run?.Completion.TrySetResult();
        workspace?.Completion.TrySetResult();
    }

    private void Stop((string, string?) key, Entry entry)
    {
        lock (_lock)
        {
            if (--entry.Watchers == 0 && _entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>One reader's wait for the next commit.</summary>
    internal sealed class Watch : IDisposable
    {
        private readonly RunSignals _owner;
        private readonly (string, string?) _key;
        private readonly Entry _entry;
        private bool _disposed;

        internal Watch(RunSignals owner, (string, string?) key, Entry entry) => (_owner, _key, _entry) = (owner, key, entry);

        /// <summary>Completes at the next commit to the watched run or workspace in this process (never faults).</summary>
        public Task Changed => _entry.Completion.Task;

        /// <summary>Stops watching; the last watcher removes the entry. Disposing twice is harmless.</summary>
        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _owner.Stop(_key, _entry);
            }
        }
    }

    internal sealed class Entry
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Watchers { get; set; }
    }
}
