using System.Text.Json.Nodes;

namespace Keel.TauTools.Data;

/// <summary>One in-memory copy of a domain's database: tables of JSON objects keyed by id, changed in place by write tools.</summary>
/// <remarks>Not thread-safe: <see cref="Tools.TauToolbox"/> runs one tool call at a time against it.</remarks>
public sealed class TauDatabase
{
    private readonly Dictionary<string, JsonObject> _tables;
    private readonly TauDatabase? _origin;

    internal TauDatabase(TauDomain domain, Dictionary<string, JsonObject> tables, TauDatabase? origin = null)
    {
        Domain = domain;
        _tables = tables;
        _origin = origin;
    }

    /// <summary>Gets the domain.</summary>
    public TauDomain Domain { get; }

    /// <summary>Gets a table by name, e.g. <c>reservations</c>: id → record, in file order.</summary>
    /// <param name="name">The table name (see <see cref="TauDomains.Tables"/>).</param>
    /// <returns>The live table.</returns>
    /// <exception cref="KeyNotFoundException">The domain has no such table.</exception>
    public JsonObject Table(string name)
    {
        if (_tables.TryGetValue(name, out var table))
        {
            return table;
        }

        if (_origin is null)
        {
            throw new KeyNotFoundException($"the {Domain.Name()} database has no table '{name}'");
        }

        // A scratch copy clones a table of its origin the first time a tool reads it.
        var copy = (JsonObject)_origin.Table(name).DeepClone();
        _tables[name] = copy;
        return copy;
    }

    /// <summary>A scratch copy of this database's current state for a dry run: each table is cloned on its first use, and
    /// nothing done to the copy reaches this database.</summary>
    internal TauDatabase CreateScratchCopy() => new(Domain, new Dictionary<string, JsonObject>(StringComparer.Ordinal), this);

    /// <summary>The tables a scratch copy has cloned so far (the only ones a tool can have changed), in first-use order.</summary>
    internal IReadOnlyCollection<string> LoadedTables => _tables.Keys;
}
