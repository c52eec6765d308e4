using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Storage.Sqlite;

/// <summary>A statement prepared once on the connection's native handle and bound by position, for the replay write
/// path: it skips Microsoft.Data.Sqlite's per-execution parameter lookup and re-binding (a quarter of the save time when
/// profiled). Parameters are <c>$p0</c>, <c>$p1</c>, … as in <see cref="PreparedStatement"/>; values are bound as they are set.</summary>
/// <remarks>Runs inside whatever transaction is open on the connection. Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Parameter[] _parameters;

    private RawStatement(SqliteConnection connection, string sql, int parameterCount)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"could not prepare '{sql}': {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }

        _parameters = new Parameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _parameters[i] = new Parameter(this, i + 1);
        }
    }

    /// <summary>The parameter at a position.</summary>
    /// <param name="index">0-based position (<c>$p{index}</c>).</param>
    public Parameter this[int index] => _parameters[index];

    /// <summary>Prepares SQL whose parameters are <c>$p0</c> … <c>$p{parameterCount - 1}</c>.</summary>
    public static RawStatement Create(SqliteConnection connection, string sql, int parameterCount) => new(connection, sql, parameterCount);

    /// <summary>Prepares <c>INSERT INTO table (columns…) VALUES ($p0, …)</c>; parameter i is column i.</summary>
    public static RawStatement Insert(SqliteConnection connection, string table, params string[] columns)
    {
        var values = string.Join(", ", Enumerable.Range(0, columns.Length).Select(i => "$p" + i));
        return new(connection, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values})", columns.Length);
    }

    /// <summary>Runs the statement with the values bound so far.</summary>
    /// <returns>The number of rows changed.</returns>
    /// <exception cref="SqliteException">SQLite refused the statement (constraint, I/O, full disk).</exception>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }

        return raw.sqlite3_changes(_db);
    }

    /// <summary>Runs a query one row further.</summary>
    /// <returns>Whether a row is there to read with <see cref="Int64"/> and <see cref="Text"/>; when not, the statement is reset.</returns>
    /// <exception cref="SqliteException">SQLite refused the statement.</exception>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_statement);
        return rc == raw.SQLITE_DONE
            ? false
            : throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
    }

    /// <summary>Ends a query before its last row, so the statement can run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>An integer column of the current row (0-based); 0 for NULL.</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>A text column of the current row (0-based), or <see langword="null"/> for NULL.</summary>
    public string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();

    private void Bind(int position, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, position),
            string text => raw.sqlite3_bind_text(_statement, position, text),
            long number => raw.sqlite3_bind_int64(_statement, position, number),
            int number => raw.sqlite3_bind_int64(_statement, position, number),
            bool flag => raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(_statement, position, real),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name} to an SQLite parameter", nameof(value)),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"could not bind parameter {position}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }
    }

    /// <summary>One positional parameter; setting <see cref="Value"/> binds it (string, long, int, bool, double, or null/<see cref="DBNull"/>).</summary>
    internal sealed class Parameter(RawStatement owner, int position)
    {
        /// <summary>Binds the value.</summary>
        public object? Value
        {
            set => owner.Bind(position, value);
        }
    }
}
