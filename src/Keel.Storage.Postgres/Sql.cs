using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>Small helpers for parameterized statements on a connection inside a transaction.</summary>
internal static class Sql
{
    /// <summary>Creates a command with named parameters (<c>@name</c> in the text); <see langword="null"/> values are sent as SQL NULL.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction, or <see langword="null"/>.</param>
    /// <param name="text">The SQL.</param>
    /// <param name="parameters">Names (without <c>@</c>) and values.</param>
    /// <returns>The command; the caller disposes it.</returns>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(text, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement.</summary>
    /// <returns>The number of rows changed.</returns>
    /// <exception cref="NpgsqlException">The statement failed.</exception>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads the first column of the first row.</summary>
    /// <returns>The value; <see langword="null"/> for no row; <see cref="DBNull"/> for SQL NULL.</returns>
    /// <exception cref="NpgsqlException">The statement failed.</exception>
    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Takes transaction-scoped advisory locks in ascending key order (so two transactions never wait on each other in a cycle);
    /// they are released when the transaction ends.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="keys">The keys (<see cref="LockKeys"/>), in any order, repeats allowed.</param>
    /// <returns>A task that completes when every lock is held.</returns>
    public static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<long> keys)
    {
        foreach (var key in keys.Distinct().Order())
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", key));
        }
    }

    /// <summary>Reads a nullable text column.</summary>
    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a nullable bigint column.</summary>
    public static long? Int(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
