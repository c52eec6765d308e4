namespace Keel.Tenancy;

/// <summary>Storage port for API keys: only the SHA-256 of a key's secret is ever stored.</summary>
/// <remarks>Implementations are thread-safe and, for a shared database, safe across processes.</remarks>
public interface IApiKeyStore
{
    /// <summary>Creates an API key.</summary>
    /// <param name="workspaceId">The workspace it acts in.</param>
    /// <param name="name">Who holds it.</param>
    /// <param name="role">What it may do.</param>
    /// <param name="agent">For agent keys, the agent; must be <see langword="null"/> for other roles.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored key and the full key text (shown once, never stored).</returns>
    /// <exception cref="ArgumentException">An agent key without an agent, or another role with one.</exception>
    /// <exception cref="Storage.StoreException">The workspace does not exist, or the write failed.</exception>
    Task<(ApiKey Record, string Key)> CreateKeyAsync(string workspaceId, string name, KeelRole role, string? agent, CancellationToken cancellationToken = default);

    /// <summary>Finds the valid (not revoked) key a caller presented.</summary>
    /// <param name="presentedKey">The key text.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The key, or <see langword="null"/> when it is malformed, unknown, revoked or its secret does not match.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<ApiKey?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default);

    /// <summary>Lists the workspace's keys, oldest first (never their secrets).</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of the workspace; it stops working at once.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the workspace had such a key (revoking twice keeps the first time).</returns>
    /// <exception cref="Storage.StoreException">The write failed.</exception>
    Task<bool> RevokeKeyAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default);
}
