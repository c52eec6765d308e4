namespace Keel.Tenancy;

/// <summary>An API key as stored: never the secret, only its SHA-256.</summary>
/// <param name="Id">The key id, the public part of the key (<c>keel_&lt;id&gt;_&lt;secret&gt;</c>).</param>
/// <param name="WorkspaceId">The one workspace the key acts in.</param>
/// <param name="Name">Who or what holds it, e.g. <c>airline-bot</c> or <c>alice</c>; recorded as the decider of approvals.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Agent">For <see cref="KeelRole.Agent"/> keys, the agent whose runs and tools it may use; <see langword="null"/> otherwise.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="RevokedAt">When it was revoked (UTC); <see langword="null"/> while valid.</param>
public sealed record ApiKey(string Id, string WorkspaceId, string Name, KeelRole Role, string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);
