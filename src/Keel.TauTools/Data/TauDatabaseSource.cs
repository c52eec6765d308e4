using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.TauTools.Data;

/// <summary>
/// The starting state of a domain's database, read once from a folder of JSON files; every
/// <see cref="CreateCopy"/> is a fresh, independent in-memory database that tools may change.
/// </summary>
/// <remarks>
/// Folder layout (tau-bench <c>tau_bench/envs/&lt;domain&gt;/data/*.json</c>): airline <c>flights.json</c>,
/// <c>reservations.json</c>, <c>users.json</c>; retail <c>orders.json</c>, <c>products.json</c>, <c>users.json</c>; each a
/// JSON object keyed by id. The files are only read. Thread-safe.
/// </remarks>
public sealed class TauDatabaseSource
{
    private readonly Dictionary<string, byte[]> _tables;

    private TauDatabaseSource(TauDomain domain, string folder, Dictionary<string, byte[]> tables)
    {
        Domain = domain;
        Folder = folder;
        _tables = tables;
    }

    /// <summary>Gets the domain.</summary>
    public TauDomain Domain { get; }

    /// <summary>Gets the full path of the folder the tables were read from.</summary>
    public string Folder { get; }

    /// <summary>The folder shipped beside the program: <c>&lt;program folder&gt;/db/&lt;domain&gt;</c>, a copy of <c>samples/tau-&lt;domain&gt;/db</c>.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The folder path.</returns>
    public static string DefaultFolder(TauDomain domain) => Path.Combine(AppContext.BaseDirectory, "db", domain.Name());

    /// <summary>Reads and checks every table file of a domain.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="folder">The folder holding the table files.</param>
    /// <returns>The source.</returns>
    /// <exception cref="TauDataException">A file is missing, unreadable, not JSON, or not a JSON object.</exception>
    public static TauDatabaseSource Load(TauDomain domain, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new TauDataException($"no database folder at '{full}': pass --db with a folder holding {string.Join(", ", domain.Tables().Select(t => t + ".json"))}");
        }

        var tables = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var table in domain.Tables())
        {
            var file = Path.Combine(full, table + ".json");
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TauDataException($"cannot read the {domain.Name()} table '{file}': {ex.Message}. The folder must hold {string.Join(", ", domain.Tables().Select(t => t + ".json"))} (tau-bench's data files).", ex);
            }

            Check(file, bytes);
            tables[table] = bytes;
        }

        return new TauDatabaseSource(domain, full, tables);
    }

    /// <summary>Creates a fresh in-memory database in the starting state.</summary>
    /// <returns>The database; changes to it never reach the files or other copies.</returns>
    public TauDatabase CreateCopy()
    {
        var tables = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, bytes) in _tables)
        {
            // Parsed lazily: a record becomes nodes when a tool first reads it; numbers keep their JSON text (see PyJson.AsNumber).
            tables[name] = JsonNode.Parse(bytes)!.AsObject();
        }

        return new TauDatabase(Domain, tables);
    }

    private static void Check(string file, byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Any(entry => entry.Value.ValueKind != JsonValueKind.Object))
            {
                throw new TauDataException($"'{file}' must be a JSON object mapping each id to an object, as tau-bench's data files do");
            }
        }
        catch (JsonException ex)
        {
            throw new TauDataException($"'{file}' is not valid JSON: {ex.Message}", ex);
        }
    }
}
