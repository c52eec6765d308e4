using System.Text.Json.Nodes;

namespace Keel.TauTools.Data;

/// <summary>One in-memory copy of a domain's database: tables of JSON objects keyed by id, changed in place by write tools.</summary>
/// <remarks>Not thread-safe: <see cref="Tools.TauToolbox"/> runs one tool call at a time against it.</remarks>
public sealed class TauDatabase
{
    private readonly Dictionary<string, JsonObject> _tables;

    internal TauDatabase(TauDomain domain, Dictionary<string, JsonObject> tables)
    {
        Domain = domain;
        _tables = tables;
    }

    /// <summary>Gets the domain.</summary>
    public TauDomain Domain { get; }

    /// <summary>Gets a table by name, e.g. <c>reservations</c>: id → record, in file order.</summary>
    /// <param name="name">The table name (see <see cref="TauDomains.Tables"/>).</param>
    /// <returns>The live table.</returns>
    /// <exception cref="KeyNotFoundException">The domain has no such table.</exception>
    public JsonObject Table(string name) => _tables[name];
}
