using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Storage.Postgres;

/// <summary>Keys of the transaction-scoped advisory locks (<c>pg_advisory_xact_lock(bigint)</c>) that serialize what a row lock
/// cannot: applying migrations, appending to a workspace's audit ledger, requesting an approval for one held call, and changing a workspace's versions.</summary>
/// <remarks>A key is the first 8 bytes (big-endian) of SHA-256 over a tag and the fields, each followed by a zero byte, so keys of
/// different purposes never meet by construction and two workspaces share a key with probability 2^-64 (then their writes only
/// wait for each other). Computed here rather than with <c>hashtext</c>, so a transaction that needs several can take them in one
/// fixed order (ascending) and never deadlock with another.</remarks>
internal static class LockKeys
{
    /// <summary>The key held while migrations are checked and applied.</summary>
    public static long Migrations { get; } = Key("keel.migrations");

    /// <summary>The key of a workspace's audit ledger: every transaction that writes runs of the workspace holds it until it commits.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <returns>The key.</returns>
    public static long Ledger(string workspaceId) => Key("keel.ledger", workspaceId);

    /// <summary>The key of one held call: approval requests for it are serialized, so a pending one is never requested twice.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="digest">The call digest.</param>
    /// <param name="planDigest">The plan digest, or <see langword="null"/>.</param>
    /// <returns>The key.</returns>
    public static long Approval(string workspaceId, string runId, string digest, string? planDigest) =>
        Key("keel.approval", workspaceId, runId, digest, planDigest ?? string.Empty);

    /// <summary>The key of a workspace's version registry: registrations and state changes of its versions are serialized, so the
    /// lifecycle's check and change are atomic and its history stays one chain.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <returns>The key.</returns>
    public static long Versions(string workspaceId) => Key("keel.versions", workspaceId);

    private static long Key(params string[] parts)
    {
        var text = string.Concat(parts.Select(p => p + "\0"));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
