using Keel.Audit;
using Keel.Interventions;
using Keel.Model;
using Keel.Storage;

namespace Keel.Server.Interventions;

/// <summary>Reads a run's deliveries from the store — never from this process's memory — so a decision committed through another
/// instance sharing the database is seen; waits for the next one by polling the store every
/// <see cref="KeelServerOptions.DeliveryPollInterval"/>, woken early by <see cref="RunSignals"/> when this process commits. A wait also
/// ends when the run has ended (<see cref="Delivery.Ends"/>), so a stream can say so and close.</summary>
internal sealed class DeliveryFeed(IAuditLog log, IRunStore runs, RunSignals signals, KeelServerOptions options)
{
    private const int PageSize = 1000;

    /// <summary>The deliveries after <paramref name="after"/>, waiting up to <paramref name="wait"/> for at least one or for the run to end.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run (checked by the caller).</param>
    /// <param name="after">The cursor: a sequence number; only events after it are read.</param>
    /// <param name="wait">How long to wait when there is none yet; <see cref="TimeSpan.Zero"/> answers at once.</param>
    /// <param name="cancellationToken">Cancels the wait (the client went away).</param>
    /// <returns>The deliveries (possibly none), the cursor to continue from (the last event read) and the run's status when read.</returns>
    /// <exception cref="StoreException">The store could not be read.</exception>
    public async Task<(IReadOnlyList<Delivery> Deliveries, long Next, RunStatus Status)> WaitAsync(string workspaceId, string runId, long after, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            using var watch = signals.Start(workspaceId, runId);
            // The status first: when it is terminal, the read after it sees every event the run will ever have, so "ended" never
            // overtakes a delivery committed between the two reads.
            var status = (await runs.GetRunSummaryAsync(workspaceId, runId, cancellationToken))?.Status ?? RunStatus.Stopped;
            var (deliveries, next) = await ReadAsync(workspaceId, runId, after, cancellationToken);
            var left = wait - time.GetElapsedTime(started);
            if (deliveries.Count > 0 || left <= TimeSpan.Zero || Delivery.Ends(status))
            {
                return (deliveries, next, status);
            }

            after = next;
            var poll = left < options.DeliveryPollInterval ? left : options.DeliveryPollInterval;
            await Task.WhenAny(watch.Changed, Task.Delay(poll, time, cancellationToken)).Unwrap().ConfigureAwait(false);
        }
    }

    /// <summary>The deliveries after <paramref name="after"/>, at once.</summary>
    private async Task<(IReadOnlyList<Delivery> Deliveries, long Next)> ReadAsync(string workspaceId, string runId, long after, CancellationToken cancellationToken)
    {
        var found = new List<Delivery>();
        while (true)
        {
            var records = await log.GetEventRecordsAsync(workspaceId, runId, after, PageSize, cancellationToken);
            found.AddRange(Delivery.FromRecords(records));
            if (records.Count > 0)
            {
                after = records[^1].Sequence;
            }

            if (records.Count < PageSize)
            {
                return (found, after);
            }
        }
    }
}
