using Keel.Model;

namespace Keel.Storage;

/// <summary>Durable storage of runs with their events, decisions, findings, failures and handoff packets.</summary>
/// <remarks>Implementations are thread-safe. Every query is filtered by workspace.</remarks>
public interface IRunStore
{
    /// <summary>Stores a run and everything in it in one transaction: either all of it lands or none of it.
    /// Saving a run id that already exists in the workspace replaces the earlier record of that run (a replay re-audits a run).</summary>
    /// <param name="run">The run with its events and failures.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="StoreException">The write failed; nothing of the run was stored.</exception>
    Task SaveRunAsync(Run run, CancellationToken cancellationToken = default);

    /// <summary>Stores several runs, each all-or-nothing on its own; faster than one <see cref="SaveRunAsync"/> per run where the
    /// store can share one transaction. The default saves them one by one.</summary>
    /// <param name="runs">The runs, in order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when every run is stored.</returns>
    /// <exception cref="StoreException">Some runs were not stored; the message names them.</exception>
    async Task SaveRunsAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            await SaveRunAsync(run, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores what a live run gained since it was last stored (new events, failures, status, handoff) in one transaction;
    /// the first call for a run creates it. Unlike <see cref="SaveRunAsync"/>, events already stored are never rewritten.
    /// The default replaces the run's record through <see cref="SaveRunAsync"/>.</summary>
    /// <param name="run">The live run.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is written when cancelled.</param>
    /// <returns>A task that completes when the transaction has committed.</returns>
    /// <exception cref="StoreException">The write failed; nothing of this append was stored.</exception>
    Task AppendAsync(Run run, CancellationToken cancellationToken = default) => SaveRunAsync(run, cancellationToken);

    /// <summary>Loads a run with its events in sequence order, its failures and handoff packet.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or <see langword="null"/> when the workspace has no such run.</returns>
    Task<Run?> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists runs of a workspace, most recently started first.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="limit">At most this many (1–10,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Summaries, newest first.</returns>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Lists the runs of a workspace that pass a query's filters (tags, customer sentiment, agent), one page at a time: newest
    /// start first, ties by run id ascending (ordinal), continuing after <see cref="RunQuery.After"/>. The SQL stores filter in SQL with
    /// an index (the findings' types and <c>runs.customer_sentiment</c>); this default reads the newest 10,000 listings and loads the
    /// runs a content filter needs.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="query">The filters and page size; validated here.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page and, when more runs match, the cursor of the next one.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The query is out of range (<see cref="RunQuery.Validate"/>).</exception>
    /// <exception cref="StoreException">The listing could not be read.</exception>
    async Task<RunPage> QueryRunsAsync(string workspaceId, RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var read = new List<RunSummary>();
        foreach (var summary in await ListRunsAsync(workspaceId, 10_000, cancellationToken).ConfigureAwait(false))
        {
            if (!query.AdmitsListing(summary))
            {
                continue;
            }

            var line = summary;
            if (query.FiltersOnContent)
            {
                var run = await GetRunAsync(workspaceId, summary.Id, cancellationToken).ConfigureAwait(false);
                var sentiment = run is null ? null : RunListingValues.CustomerSentiment(run);
                if (run is null || !query.Admits(RunListingValues.Tags(run), sentiment))
                {
                    continue;
                }

                line = summary with { CustomerSentiment = sentiment };
            }

            read.Add(line);
            if (read.Count > query.Limit)
            {
                break;
            }
        }

        return RunPage.Of(read, query.Limit);
    }

    /// <summary>One run's listing line (status, event count) without its events: what a reader that only needs the status reads, e.g.
    /// a delivery stream checking whether its run ended. The SQL stores read one row; this default loads the whole run.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summary, or <see langword="null"/> when the workspace has no such run.</returns>
    /// <exception cref="StoreException">The run could not be read.</exception>
    async Task<RunSummary?> GetRunSummaryAsync(string workspaceId, string runId, CancellationToken cancellationToken = default) =>
        await GetRunAsync(workspaceId, runId, cancellationToken) is { } run
            ? RunSummary.Of(run)
            : null;
}

/// <summary>One line of a run listing.</summary>
/// <param name="Id">Run id.</param>
/// <param name="AgentName">Agent.</param>
/// <param name="AgentVersion">Agent version.</param>
/// <param name="Status">Status.</param>
/// <param name="StartedAt">Start time.</param>
/// <param name="EventCount">Number of events.</param>
/// <param name="Channel">The run's channel (<see cref="Run.Channel"/>); <see cref="Run.ReplayChannel"/> for a replayed run.</param>
/// <param name="Version">The version the run was served with (<see cref="Run.Version"/>); <see langword="null"/> when not recorded.</param>
public sealed record RunSummary(string Id, string AgentName, string AgentVersion, RunStatus Status, DateTimeOffset StartedAt, int EventCount, string Channel = "api", Keel.Versions.VersionAssignment? Version = null)
{
    /// <summary><c>replay</c> or <c>live</c> (<see cref="Run.OriginOf"/>).</summary>
    public string Origin => Run.OriginOf(Channel);

    /// <summary>The customer's sentiment as stored with the run (<see cref="RunListingValues.CustomerSentiment"/>): the VADER compound of
    /// the last customer message, in [−1, 1]; <see langword="null"/> for a run without customer messages (or stored before the store
    /// kept the value: SQLite migration 7, PostgreSQL migration 6, until it is saved again).</summary>
    public double? CustomerSentiment { get; init; }

    /// <summary>The run's workflow class (<see cref="Run.WorkflowClass"/>); <see langword="null"/> when it has none, or when the store
    /// does not list it.</summary>
    public string? WorkflowClass { get; init; }

    /// <summary>The model cost the run's messages reported (<see cref="RunListingValues.CostUsd"/>), USD; <see langword="null"/> when the
    /// store did not keep it with the listing (a run stored before SQLite migration 9 or PostgreSQL migration 8, until it is saved
    /// again, or a store that does not list it): read the run for it. A store that lists the cost lists <see cref="WorkflowClass"/>
    /// too.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The listing line of a run as it is now.</summary>
    /// <param name="run">The run.</param>
    /// <returns>Its summary, with its customer sentiment, workflow class and cost.</returns>
    public static RunSummary Of(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunSummary(run.Id, run.AgentName, run.AgentVersion, run.Status, run.StartedAt, run.Events.Count, run.Channel, run.Version)
        {
            CustomerSentiment = RunListingValues.CustomerSentiment(run),
            WorkflowClass = run.WorkflowClass,
            CostUsd = RunListingValues.CostUsd(run),
        };
    }
}

/// <summary>A storage failure; the message names the store and the run, never secrets.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
