namespace Keel.Storage.Sqlite.Gateway;

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

/// <summary>The answer of <see cref="SqliteGatewayStore.ClaimIdempotencyKeyAsync"/>.</summary>
/// <param name="State">What was found.</param>
/// <param name="StatusCode">For <see cref="IdempotencyState.Replay"/>, the stored HTTP status.</param>
/// <param name="ContentType">For a replay, the stored content type.</param>
/// <param name="Body">For a replay, the stored body bytes.</param>
public sealed record IdempotencyClaim(IdempotencyState State, int? StatusCode = null, string? ContentType = null, byte[]? Body = null);
