using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Tenancy;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>A workspace as <c>keel workspace list --json</c> writes it.</summary>
internal sealed record WorkspaceJson(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A new workspace as <c>keel workspace create --json</c> writes it, with its admin key (shown once).</summary>
internal sealed record CreatedWorkspaceJson(string Id, string Name, DateTimeOffset CreatedAt, CreatedKeyJson AdminKey);

/// <summary>A key as <c>keel key list --json</c> writes it: never its secret.</summary>
internal sealed record KeyJson(string Id, string WorkspaceId, string Name, string Role, string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyJson From(ApiKey k) => new(k.Id, k.WorkspaceId, k.Name, KeelRoles.Name(k.Role), k.Agent, k.CreatedAt, k.RevokedAt);
}

/// <summary>A new key as <c>keel key create --json</c> writes it, with its text (shown once).</summary>
internal sealed record CreatedKeyJson(string Id, string Key, string WorkspaceId, string Name, string Role, string? Agent)
{
    public static CreatedKeyJson From(ApiKey k, string key) => new(k.Id, key, k.WorkspaceId, k.Name, KeelRoles.Name(k.Role), k.Agent);
}

/// <summary>The JSON of the administration commands: snake_case, like the HTTP API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<WorkspaceJson>))]
[JsonSerializable(typeof(IReadOnlyList<KeyJson>))]
[JsonSerializable(typeof(CreatedWorkspaceJson))]
[JsonSerializable(typeof(CreatedKeyJson))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

/// <summary>Output of <c>keel workspace</c> and <c>keel key</c>: a table on a terminal, tab-separated lines with a header when
/// the output is redirected or has no ANSI support (for <c>cut</c> and <c>awk</c>), JSON with <c>--json</c>.</summary>
internal static class AdminOutput
{
    /// <summary>Writes rows as a table, or as plain tab-separated lines when the console is not a terminal.</summary>
    /// <param name="console">The console.</param>
    /// <param name="headers">The column names.</param>
    /// <param name="rows">The rows, each with one cell per header.</param>
    public static void Table(IAnsiConsole console, string[] headers, IEnumerable<string[]> rows)
    {
        if (!console.Profile.Capabilities.Ansi)
        {
            console.Profile.Out.Writer.WriteLine(string.Join('\t', headers));
            foreach (var row in rows)
            {
                console.Profile.Out.Writer.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(Markup.Escape(header));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        console.Write(table);
    }

    /// <summary>Writes a value as JSON (<see cref="AdminJsonContext"/>), unstyled.</summary>
    /// <typeparam name="T">The value's type, one <see cref="AdminJsonContext"/> knows.</typeparam>
    /// <param name="console">The console.</param>
    /// <param name="value">The value.</param>
    public static void Json<T>(IAnsiConsole console, T value) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, typeof(T), AdminJsonContext.Default));

    /// <summary>A time as the tables show it: UTC, to the second (<c>2026-11-21 10:00:00Z</c>).</summary>
    /// <param name="at">The time, or <see langword="null"/>.</param>
    /// <returns>The text, or <c>-</c> for none.</returns>
    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Writes a key's text on a line of its own, with the warning that it is not shown again.</summary>
    /// <param name="console">The console.</param>
    /// <param name="intro">What the key is, e.g. "Its admin key".</param>
    /// <param name="key">The key text.</param>
    public static void Secret(IAnsiConsole console, string intro, string key)
    {
        console.MarkupLineInterpolated($"{intro}, shown this once (store it now; only its SHA-256 is kept and it cannot be shown again):");
        console.Profile.Out.Writer.WriteLine(key);
    }
}
