namespace Keel.Storage;

/// <summary>Storage port for idempotency records: what an <c>Idempotency-Key</c> was first used for and the answer it got.</summary>
/// <remarks>Implementations are thread-safe and make <see cref="ClaimAsync"/> atomic (also across processes on a shared
/// database): of any number of concurrent claims of one key, exactly one gets <see cref="IdempotencyState.New"/>.</remarks>
public interface IIdempotencyStore
{
    /// <summary>Claims an idempotency key for a request: the first caller gets <see cref="IdempotencyState.New"/>; later callers
    /// get the stored response, a mismatch, or in-flight. A claim left unfinished longer than <paramref name="staleAfter"/>
    /// (its process crashed) can be taken over.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The API key that sent it (idempotency keys are scoped to their sender).</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header (or the default key of a tool call).</param>
    /// <param name="requestSha256">The lowercase hex SHA-256 of method, path and body.</param>
    /// <param name="staleAfter">How long an unfinished claim blocks retries.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="StoreException">The write failed.</exception>
    Task<IdempotencyClaim> ClaimAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default);

    /// <summary>Stores the (sealed, <see cref="RecordSealer.SealResponseBody"/>) response of a claimed request; retries with the
    /// key get it back.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The sender's key id.</param>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <param name="response">The status, content type and body sent.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="StoreException">The write failed.</exception>
    Task CompleteAsync(string workspaceId, string keyId, string idempotencyKey, StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>Gives a claimed, unfinished key back (the request failed before it changed anything), so a retry runs afresh.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="keyId">The sender's key id.</param>
    /// <param name="idempotencyKey">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when released.</returns>
    /// <exception cref="StoreException">The write failed.</exception>
    Task ReleaseAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default);
}

/// <summary>What claiming an idempotency key found.</summary>
public enum IdempotencyState
{
    /// <summary>First use: the caller now holds the key and must complete or release it.</summary>
    New,

    /// <summary>A completed request with the same body: answer with its stored response.</summary>
    Replay,

    /// <summary>The key was used with a different request body.</summary>
    Mismatch,

    /// <summary>A request with this key is still being handled.</summary>
    InFlight,
}

/// <summary>An HTTP answer as an idempotency record keeps it.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type, or <see langword="null"/>.</param>
/// <param name="Body">The body bytes (redacted by <see cref="RecordSealer"/> before they are stored).</param>
public sealed record StoredResponse(int StatusCode, string? ContentType, byte[] Body);

/// <summary>The answer of <see cref="IIdempotencyStore.ClaimAsync"/>.</summary>
/// <param name="State">What was found.</param>
/// <param name="Response">For <see cref="IdempotencyState.Replay"/>, the stored answer; otherwise <see langword="null"/>.</param>
public sealed record IdempotencyClaim(IdempotencyState State, StoredResponse? Response = null);
