namespace Keel.Core.Tests.Execution;

/// <summary>A clock that moves only when a test moves it. Timers (Polly's timeouts, backoff delays) fire inside <see cref="Advance"/>,
/// in due order, so no test ever waits for real time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _armed = [];
    private DateTimeOffset _now;
    private TaskCompletionSource? _armedSignal;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2024, 5, 15, 20, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _armed.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.Due > _now ? next.Due : _now;
                _armed.Remove(next);
                next.Rearm(_now);
            }

            next.Fire();
        }
    }

    /// <summary>Awaits <paramref name="work"/>, moving the clock to the next timer whenever the work waits on one.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, WhenArmedAsync());
            if (work.IsCompleted)
            {
                break;
            }

            DateTimeOffset due;
            lock (_lock)
            {
                due = _armed.Min(t => t.Due);
            }

            Advance(due > GetUtcNow() ? due - GetUtcNow() : TimeSpan.Zero);
        }

        return await work;
    }

    /// <summary>Completes when some timer is armed (the code under test waits on the clock).</summary>
    public Task WhenArmedAsync()
    {
        lock (_lock)
        {
            if (_armed.Count > 0)
            {
                return Task.CompletedTask;
            }

            _armedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _armedSignal.Task;
        }
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_lock)
        {
            _armed.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = _now + dueTime;
            _armed.Add(timer);
            _armedSignal?.TrySetResult();
            _armedSignal = null;
        }
    }

    private void Disarm(ManualTimer timer)
    {
        lock (_lock)
        {
            _armed.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            clock.Arm(this, dueTime);
            return true;
        }

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>Called under the clock's lock when the timer fires: a periodic timer is armed again.</summary>
        public void Rearm(DateTimeOffset now)
        {
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                Due = now + _period;
                clock._armed.Add(this);
            }
        }

        public void Fire() => callback(state);
    }
}
