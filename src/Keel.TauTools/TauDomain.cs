namespace Keel.TauTools;

/// <summary>A tau-bench customer-service domain served by this program (Yao et al., arXiv:2406.12045).</summary>
public enum TauDomain
{
    /// <summary>Airline: flights, reservations and users (14 tools).</summary>
    Airline,

    /// <summary>Retail: orders, products and users (16 tools).</summary>
    Retail,
}

/// <summary>Facts about each <see cref="TauDomain"/>.</summary>
public static class TauDomains
{
    /// <summary>The lowercase name used on the command line and in file names: <c>airline</c> or <c>retail</c>.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The name.</returns>
    public static string Name(this TauDomain domain) => domain == TauDomain.Airline ? "airline" : "retail";

    /// <summary>The database tables of the domain, each one JSON file <c>&lt;table&gt;.json</c> holding an object keyed by id.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>Airline: flights, reservations, users. Retail: orders, products, users.</returns>
    public static IReadOnlyList<string> Tables(this TauDomain domain) =>
        domain == TauDomain.Airline ? ["flights", "reservations", "users"] : ["orders", "products", "users"];
}
