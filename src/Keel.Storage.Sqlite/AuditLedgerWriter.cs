using Keel.Audit;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Appends rows to a workspace's audit ledger (<c>audit_ledger</c>): reads the workspace's newest row and chains the
/// new one onto it, inside the caller's write transaction (<c>BEGIN IMMEDIATE</c>), so two writers never fork the ledger.</summary>
/// <remarks>Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class AuditLedgerWriter : IDisposable
{
    private readonly RawStatement _head;
    private readonly RawStatement _insert;

    /// <summary>Prepares the statements; the schema must be migrated.</summary>
    public AuditLedgerWriter(SqliteConnection connection)
    {
        _head = RawStatement.Create(connection, "SELECT seq, hash FROM audit_ledger WHERE workspace_id = $p0 ORDER BY seq DESC LIMIT 1", 1);
        _insert = RawStatement.Insert(
            connection, "audit_ledger", "workspace_id", "seq", "run_id", "commit_kind", "first_event_seq", "last_event_seq", "run_head_hash",
            "committed_at", "prev_hash", "hash");
    }

    /// <summary>Appends the row of one commit.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run committed.</param>
    /// <param name="commit">Save or append.</param>
    /// <param name="first">The first event the commit wrote (1 for a save).</param>
    /// <param name="last">The run's last event after the commit.</param>
    /// <param name="runHead">The hash of the run's last event (its genesis hash without events).</param>
    /// <param name="committedAt">The store's clock.</param>
    /// <exception cref="SqliteException">The row could not be written; the caller rolls back.</exception>
    public void Append(string workspaceId, string runId, AuditCommit commit, long first, long last, string runHead, DateTimeOffset committedAt)
    {
        _head[0].Value = workspaceId;
        var (sequence, previous) = (0L, AuditHash.LedgerGenesis(workspaceId));
        if (_head.Step())
        {
            (sequence, previous) = (_head.Int64(0), _head.Text(1) ?? previous);
            _head.Reset();
        }

        var row = new AuditLedgerRecord(workspaceId, sequence + 1, runId, commit, first, last, runHead, committedAt, previous, string.Empty);
        _insert[0].Value = workspaceId;
        _insert[1].Value = PreparedStatement.Box(row.Sequence);
        _insert[2].Value = runId;
        _insert[3].Value = AuditLedgerRecord.CommitName(commit);
        _insert[4].Value = PreparedStatement.Box(first);
        _insert[5].Value = PreparedStatement.Box(last);
        _insert[6].Value = runHead;
        _insert[7].Value = SqliteTime.ToUtcText(committedAt);
        _insert[8].Value = previous;
        _insert[9].Value = AuditHash.Ledger(previous, row);
        _insert.Execute();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _head.Dispose();
        _insert.Dispose();
    }
}
