using Keel.Model;
using Keel.Storage;

namespace Keel.Tenancy;

/// <summary>Conveniences over <see cref="IWorkspaceStore"/> and <see cref="IApiKeyStore"/> shared by the server and the
/// <c>keel workspace</c> and <c>keel key</c> commands.</summary>
public static class WorkspaceStoreExtensions
{
    /// <summary>Creates a workspace whose first key is an <see cref="KeelRole.Admin"/> key, unless it exists.</summary>
    /// <param name="store">The store.</param>
    /// <param name="workspace">The workspace.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The admin key text (shown once), or <see langword="null"/> when the workspace already existed.</returns>
    /// <exception cref="Storage.StoreException">The write failed.</exception>
    public static Task<string?> CreateWorkspaceAsync(this IWorkspaceStore store, Workspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.CreateWorkspaceAsync(workspace, KeelRole.Admin, cancellationToken);
    }

    /// <summary>Finds a workspace by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The workspace, or <see langword="null"/> when none has this id.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    public static async Task<WorkspaceRecord?> FindWorkspaceAsync(this IWorkspaceStore store, string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.ListWorkspacesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(w => w.Id == workspaceId);
    }

    /// <summary>Finds a key by id in any workspace (never its secret): key ids are unique across workspaces.</summary>
    /// <param name="keys">The key store.</param>
    /// <param name="owners">Which workspace holds an id.</param>
    /// <param name="keyId">The key id (the 12 hex digits after <c>keel_</c>).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The key, revoked or not, or <see langword="null"/> when no workspace has it.</returns>
    /// <exception cref="Storage.StoreException">A read failed.</exception>
    public static async Task<ApiKey?> FindKeyAsync(this IApiKeyStore keys, IResourceOwners owners, string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(owners);
        foreach (var workspace in await owners.OwnersOfAsync(ResourceKind.ApiKey, keyId, cancellationToken).ConfigureAwait(false))
        {
            if ((await keys.ListKeysAsync(workspace, cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.Id == keyId) is { } key)
            {
                return key;
            }
        }

        return null;
    }
}
