using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>A SQL statement prepared once per connection and run many times with new parameter values.</summary>
/// <remarks>Parameters are positional: <c>$p0</c>, <c>$p1</c>, …; for <see cref="Insert"/> they follow the column order.
/// Not thread-safe: the store's gate serializes all use of its connection.</remarks>
internal sealed class PreparedStatement : IDisposable
{
    private static readonly object[] s_boxedSmall = CreateBoxedSmall();

    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    private PreparedStatement(SqliteConnection connection, string sql, int parameterCount)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _parameters[i] = _command.Parameters.AddWithValue("$p" + i, DBNull.Value);
        }

        _command.Prepare();
    }

    /// <summary>The parameter at a position.</summary>
    /// <param name="index">0-based position (<c>$p{index}</c>).</param>
    public SqliteParameter this[int index] => _parameters[index];

    /// <summary>Prepares SQL whose parameters are <c>$p0</c> … <c>$p{parameterCount - 1}</c>.</summary>
    public static PreparedStatement Create(SqliteConnection connection, string sql, int parameterCount) => new(connection, sql, parameterCount);

    /// <summary>Prepares <c>INSERT INTO table (columns…) VALUES ($p0, …)</c>; parameter i is column i.</summary>
    public static PreparedStatement Insert(SqliteConnection connection, string table, params string[] columns)
    {
        var values = string.Join(", ", Enumerable.Range(0, columns.Length).Select(i => "$p" + i));
        return new(connection, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values})", columns.Length);
    }

    /// <summary>A boxed 64-bit integer; values 0–4095 come from a shared cache, so sequence numbers do not allocate.</summary>
    public static object Box(long value) => (ulong)value < (ulong)s_boxedSmall.Length ? s_boxedSmall[value] : value;

    /// <summary>The value, or <see cref="DBNull.Value"/> for <see langword="null"/>.</summary>
    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    /// <summary>Enlists the statement in a transaction (or none).</summary>
    public void Enlist(SqliteTransaction? transaction) => _command.Transaction = transaction;

    /// <summary>Runs the statement.</summary>
    /// <returns>The number of rows changed.</returns>
    public int Execute() => _command.ExecuteNonQuery();

    /// <summary>Runs the statement as a query.</summary>
    /// <returns>A reader the caller disposes before the next use of this statement.</returns>
    public SqliteDataReader Query() => _command.ExecuteReader();

    /// <inheritdoc />
    public void Dispose() => _command.Dispose();

    private static object[] CreateBoxedSmall()
    {
        var boxed = new object[4096];
        for (var i = 0; i < boxed.Length; i++)
        {
            boxed[i] = (long)i;
        }

        return boxed;
    }
}
