namespace Keel.Storage;

/// <summary>Storage port that tells which workspace owns an id, so "another workspace's" (403, recorded) is told from "no such"
/// (404) without the API naming a table.</summary>
public interface IResourceOwners
{
    /// <summary>Which workspaces own an id of a kind of resource.</summary>
    /// <param name="kind">The kind of resource.</param>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The owning workspaces; empty when none.</returns>
    /// <exception cref="StoreException">The read failed.</exception>
    Task<IReadOnlyList<string>> OwnersOfAsync(ResourceKind kind, string id, CancellationToken cancellationToken = default);
}

/// <summary>The kinds of resource the API addresses by id.</summary>
public enum ResourceKind
{
    /// <summary>A run.</summary>
    Run,

    /// <summary>An approval.</summary>
    Approval,

    /// <summary>An API key.</summary>
    ApiKey,
}
