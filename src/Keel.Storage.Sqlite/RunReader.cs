using Keel.Model;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Reads runs and run listings with statements prepared once per connection.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection. Rows that cannot be read back
/// (unknown enum name, gap in the event sequence, bad JSON) raise <see cref="InvalidDataException"/> or
/// <see cref="System.Text.Json.JsonException"/>; the store wraps them.</remarks>
internal sealed class RunReader : IDisposable
{
    private readonly PreparedStatement _getRun;
    private readonly PreparedStatement _getEvents;
    private readonly PreparedStatement _getFailures;
    private readonly PreparedStatement _getSummary;
    private readonly PreparedStatement[] _all;
    private readonly Dictionary<(int Tags, bool Sentiment, bool Agent, bool After), PreparedStatement> _queries = [];
    private readonly SqliteConnection _connection;

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    public RunReader(SqliteConnection connection)
    {
        _connection = connection;
        _getRun = PreparedStatement.Create(
            connection,
            """
            SELECT agent_name, agent_version, status, started_at, started_at_offset_minutes, channel, workflow_class,
                   event_count, handoff_json, version_hash, version_arm, version_bucket
            FROM runs WHERE workspace_id = $p0 AND id = $p1
            """,
            2);
        _getEvents = PreparedStatement.Create(
            connection, "SELECT seq, kind, payload_json FROM events WHERE workspace_id = $p0 AND run_id = $p1 ORDER BY seq", 2);
        _getFailures = PreparedStatement.Create(
            connection,
            """
            SELECT class, disposition, message, event_seq, tool_name, rule_id, retry_count, handoff_target, narrower_permissions
            FROM failures WHERE workspace_id = $p0 AND run_id = $p1 ORDER BY ordinal
            """,
            2);
        _getSummary = PreparedStatement.Create(
            connection,
            $"""
            SELECT {SummaryColumns}
            FROM runs WHERE workspace_id = $p0 AND id = $p1
            """,
            2);
        _all = [_getRun, _getEvents, _getFailures, _getSummary];
    }

    /// <summary>Loads a run with its events in sequence order, its failures and handoff packet.</summary>
    /// <returns>The run, or <see langword="null"/> when the workspace has no such run.</returns>
    public Run? Read(string workspaceId, string runId, SqliteTransaction transaction)
    {
        Bind(_getRun, transaction, workspaceId, runId);
        Bind(_getEvents, transaction, workspaceId, runId);
        Bind(_getFailures, transaction, workspaceId, runId);
        Run run;
        long eventCount;
        using (var reader = _getRun.Query())
        {
            if (!reader.Read())
            {
                return null;
            }

            var startedAt = SqliteTime.FromUtcText(reader.GetString(3), reader.GetInt64(4));
            run = new Run(runId, workspaceId, reader.GetString(0), reader.GetString(1), startedAt, reader.GetString(5))
            {
                WorkflowClass = reader.IsDBNull(6) ? null : reader.GetString(6),
                Status = RunEventJson.ReadStoredEnum<RunStatus>(reader.GetString(2), "runs.status"),
                Handoff = reader.IsDBNull(8) ? null : RunEventJson.DeserializeHandoffPacket(reader.GetString(8)),
                Version = Version(reader, 9),
            };
            eventCount = reader.GetInt64(7);
        }

        using (var reader = _getEvents.Query())
        {
            while (reader.Read())
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

        using (var reader = _getFailures.Query())
        {
            while (reader.Read())
            {
                run.AddFailure(new Failure(
                    RunEventJson.ReadStoredEnum<FailureClass>(reader.GetString(0), "failures.class"),
                    RunEventJson.ReadStoredEnum<Disposition>(reader.GetString(1), "failures.disposition"),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetInt64(8) != 0));
            }
        }

        return run;
    }

    /// <summary>Lists the runs of a workspace that pass a query, newest start first, then run id ascending: at most
    /// <see cref="RunQuery.Limit"/> + 1, so the caller can tell whether another page exists (<see cref="RunPage.Of"/>). One prepared
    /// statement per shape of query (how many tags, which filters), prepared on first use.</summary>
    public IReadOnlyList<RunSummary> Query(string workspaceId, RunQuery query, SqliteTransaction transaction)
    {
        var statement = Prepared(query);
        Bind(statement, transaction, workspaceId, PreparedStatement.Box(query.Limit + 1L));
        var next = 2;
        if (query.Agent is { } agent)
        {
            statement[next++].Value = agent;
        }

        if (query.SentimentBelow is { } below)
        {
            statement[next++].Value = below;
        }

        if (query.After is { } after)
        {
            statement[next++].Value = SqliteTime.ToUtcText(after.StartedAt);
            statement[next++].Value = after.Id;
        }

        foreach (var tag in query.Tags)
        {
            statement[next++].Value = tag;
        }

        var summaries = new List<RunSummary>(Math.Min(query.Limit + 1, 256));
        using var reader = statement.Query();
        while (reader.Read())
        {
            summaries.Add(Summary(reader));
        }

        return summaries;
    }

    private PreparedStatement Prepared(RunQuery query)
    {
        var shape = (query.Tags.Count, query.SentimentBelow is not null, query.Agent is not null, query.After is not null);
        if (_queries.TryGetValue(shape, out var prepared))
        {
            return prepared;
        }

        // $p0 workspace, $p1 limit, then the filters in this order. A tag is a finding type of the run (findings_by_type).
        var sql = new System.Text.StringBuilder($"""
            SELECT {SummaryColumns}
            FROM runs WHERE workspace_id = $p0
            """);
        var next = 2;
        if (shape.Item3)
        {
            sql.Append($" AND agent_name = $p{next++}");
        }

        if (shape.Item2)
        {
            sql.Append($" AND customer_sentiment < $p{next++}");
        }

        if (shape.Item4)
        {
            sql.Append($" AND (started_at < $p{next} OR (started_at = $p{next} AND id > $p{next + 1}))");
            next += 2;
        }

        for (var i = 0; i < shape.Count; i++)
        {
            sql.Append($" AND id IN (SELECT run_id FROM findings WHERE workspace_id = $p0 AND type = $p{next++})");
        }

        sql.Append(" ORDER BY started_at DESC, id LIMIT $p1");
        prepared = PreparedStatement.Create(_connection, sql.ToString(), next);
        _queries[shape] = prepared;
        return prepared;
    }

    /// <summary>One run's listing line, or <see langword="null"/> when the workspace has no such run.</summary>
    public RunSummary? Summary(string workspaceId, string runId, SqliteTransaction transaction)
    {
        Bind(_getSummary, transaction, workspaceId, runId);
        using var reader = _getSummary.Query();
        return reader.Read() ? Summary(reader) : null;
    }

    /// <summary>The columns a run listing line is read from, in the positions <c>Summary(reader)</c> reads (8: sentiment, 9–11: version,
    /// 12: workflow, 13: cost).</summary>
    private const string SummaryColumns =
        "id, agent_name, agent_version, status, started_at, started_at_offset_minutes, event_count, channel, customer_sentiment, version_hash, version_arm, version_bucket, "
        + "workflow_class, cost_usd";

    private static RunSummary Summary(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        RunEventJson.ReadStoredEnum<RunStatus>(reader.GetString(3), "runs.status"),
        SqliteTime.FromUtcText(reader.GetString(4), reader.GetInt64(5)),
        reader.GetInt32(6),
        reader.GetString(7),
        Version(reader, 9))
    {
        CustomerSentiment = reader.IsDBNull(8) ? null : reader.GetDouble(8),
        WorkflowClass = reader.IsDBNull(12) ? null : reader.GetString(12),
        CostUsd = reader.IsDBNull(13) ? null : decimal.Parse(reader.GetString(13), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The version columns (hash, arm, bucket) from <paramref name="first"/> on; <see langword="null"/> when no arm is stored.</summary>
    private static Keel.Versions.VersionAssignment? Version(SqliteDataReader reader, int first) => reader.IsDBNull(first + 1)
        ? null
        : new(reader.IsDBNull(first) ? null : reader.GetString(first), reader.GetString(first + 1), reader.GetInt32(first + 2));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in _all.Concat(_queries.Values))
        {
            statement.Dispose();
        }
    }

    private static void Bind(PreparedStatement statement, SqliteTransaction transaction, string workspaceId, object second)
    {
        statement.Enlist(transaction);
        statement[0].Value = workspaceId;
        statement[1].Value = second;
    }
}
