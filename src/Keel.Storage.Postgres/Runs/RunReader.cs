using Keel.Model;
using Npgsql;

namespace Keel.Storage.Postgres.Runs;

/// <summary>Reads runs and run listings inside the caller's (repeatable read) transaction.</summary>
/// <remarks>Stateless and thread-safe. Rows that cannot be read back (unknown enum name, gap in the event sequence, bad JSON)
/// raise <see cref="InvalidDataException"/>; the store wraps it in a <see cref="StoreException"/>.</remarks>
internal static class RunReader
{
    /// <summary>Loads a run with its events in sequence order, its failures and handoff packet.</summary>
    /// <returns>The run, or <see langword="null"/> when the workspace has no such run.</returns>
    /// <exception cref="InvalidDataException">A stored row is not what the store writes.</exception>
    public static async Task<Run?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string runId, CancellationToken cancellationToken)
    {
        Run run;
        long eventCount;
        await using (var command = Sql.Command(connection, transaction, """
                         SELECT agent_name, agent_version, status, started_at, started_at_offset_minutes, channel, workflow_class, event_count, handoff_json,
                                version_hash, version_arm, version_bucket
                         FROM runs WHERE workspace_id = @ws AND id = @id
                         """, ("ws", workspaceId), ("id", runId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var startedAt = PostgresTime.FromUtcText(reader.GetString(3), reader.GetInt32(4));
            run = new Run(runId, workspaceId, reader.GetString(0), reader.GetString(1), startedAt, reader.GetString(5))
            {
                WorkflowClass = Sql.Text(reader, 6),
                Status = RunEventJson.ReadStoredEnum<RunStatus>(reader.GetString(2), "runs.status"),
                Handoff = Sql.Text(reader, 8) is { } handoff ? RunEventJson.DeserializeHandoffPacket(handoff) : null,
                Version = Version(reader, 9),
            };
            eventCount = reader.GetInt32(7);
        }

        await using (var command = Sql.Command(connection, transaction, "SELECT seq, kind, payload_json FROM events WHERE workspace_id = @ws AND run_id = @id ORDER BY seq",
                         ("ws", workspaceId), ("id", runId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.GetInt64(0);
                if (seq != run.Events.Count + 1)
                {
                    throw new InvalidDataException($"events.seq jumps from {run.Events.Count} to {seq}; a run's events are numbered 1, 2, … without gaps.");
                }

                run.Append(RunEventJson.ReadStored(seq, reader.GetString(1), reader.GetString(2)));
            }
        }

        if (run.Events.Count != eventCount)
        {
            throw new InvalidDataException($"runs.event_count is {eventCount} but {run.Events.Count} events are stored.");
        }

        await using (var command = Sql.Command(connection, transaction, """
                         SELECT class, disposition, message, event_seq, tool_name, rule_id, retry_count, handoff_target, narrower_permissions
                         FROM failures WHERE workspace_id = @ws AND run_id = @id ORDER BY ordinal
                         """, ("ws", workspaceId), ("id", runId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                run.AddFailure(new Failure(
                    RunEventJson.ReadStoredEnum<FailureClass>(reader.GetString(0), "failures.class"),
                    RunEventJson.ReadStoredEnum<Disposition>(reader.GetString(1), "failures.disposition"),
                    reader.GetString(2),
                    Sql.Int(reader, 3),
                    Sql.Text(reader, 4),
                    Sql.Text(reader, 5),
                    reader.GetInt32(6),
                    Sql.Text(reader, 7),
                    reader.GetBoolean(8)));
            }
        }

        return run;
    }

    /// <summary>Lists the runs of a workspace that pass a query, newest start first, then run id ascending (ordinal): at most
    /// <see cref="RunQuery.Limit"/> + 1, so the caller can tell whether another page exists (<see cref="RunPage.Of"/>). A tag is a
    /// finding type of the run (index <c>findings_by_type</c>).</summary>
    /// <exception cref="InvalidDataException">A stored row is not what the store writes.</exception>
    public static async Task<IReadOnlyList<RunSummary>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, RunQuery query, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder($"""
            SELECT {SummaryColumns}
            FROM runs WHERE workspace_id = @ws
            """);
        var parameters = new List<(string, object?)> { ("ws", workspaceId), ("limit", query.Limit + 1) };
        if (query.Agent is { } agent)
        {
            sql.Append(" AND agent_name = @agent");
            parameters.Add(("agent", agent));
        }

        if (query.SentimentBelow is { } below)
        {
            sql.Append(" AND customer_sentiment < @below");
            parameters.Add(("below", below));
        }

        if (query.After is { } after)
        {
            sql.Append(" AND (started_at < @after_start OR (started_at = @after_start AND id > @after_id))");
            parameters.Add(("after_start", PostgresTime.ToUtcText(after.StartedAt)));
            parameters.Add(("after_id", after.Id));
        }

        for (var i = 0; i < query.Tags.Count; i++)
        {
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $" AND id IN (SELECT run_id FROM findings WHERE workspace_id = @ws AND type = @tag{i})");
            parameters.Add(($"tag{i}", query.Tags[i]));
        }

        sql.Append(" ORDER BY started_at DESC, id LIMIT @limit");
        await using var command = Sql.Command(connection, transaction, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summaries = new List<RunSummary>(Math.Min(query.Limit + 1, 256));
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries.Add(Summary(reader));
        }

        return summaries;
    }

    /// <summary>One run's listing line, or <see langword="null"/> when the workspace has no such run.</summary>
    /// <exception cref="InvalidDataException">The stored row is not what the store writes.</exception>
    public static async Task<RunSummary?> SummaryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string runId, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, $"""
            SELECT {SummaryColumns}
            FROM runs WHERE workspace_id = @ws AND id = @id
            """, ("ws", workspaceId), ("id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Summary(reader) : null;
    }

    /// <summary>The columns a run listing line is read from, in the positions <c>Summary(reader)</c> reads (8: sentiment, 9–11: version,
    /// 12: workflow, 13: cost).</summary>
    private const string SummaryColumns =
        "id, agent_name, agent_version, status, started_at, started_at_offset_minutes, event_count, channel, customer_sentiment, version_hash, version_arm, version_bucket, "
        + "workflow_class, cost_usd";

    private static RunSummary Summary(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        RunEventJson.ReadStoredEnum<RunStatus>(reader.GetString(3), "runs.status"),
        PostgresTime.FromUtcText(reader.GetString(4), reader.GetInt32(5)),
        reader.GetInt32(6),
        reader.GetString(7),
        Version(reader, 9))
    {
        CustomerSentiment = reader.IsDBNull(8) ? null : reader.GetDouble(8),
        WorkflowClass = Sql.Text(reader, 12),
        CostUsd = reader.IsDBNull(13) ? null : reader.GetDecimal(13),
    };

    /// <summary>The version columns (hash, arm, bucket) from <paramref name="first"/> on; <see langword="null"/> when no arm is stored.</summary>
    private static Keel.Versions.VersionAssignment? Version(NpgsqlDataReader reader, int first) => Sql.Text(reader, first + 1) is { } arm
        ? new(Sql.Text(reader, first), arm, reader.GetInt32(first + 2))
        : null;
}
