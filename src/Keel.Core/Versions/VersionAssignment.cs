using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Versions;

/// <summary>Which agent version a run was served by, and why: recorded on the run when it opens (<see cref="Model.Run.Version"/>),
/// stored with it and never changed, so a run rebuilt from the store keeps its version whatever is released later.</summary>
/// <param name="Hash">The version's content hash (<see cref="BundleContent.Hash"/>, <c>sha256:</c> and 64 hex digits); for a
/// configured bundle the hash of its files as loaded; <see langword="null"/> when a configured bundle reads a file outside its
/// folder (it has no content hash).</param>
/// <param name="Arm"><see cref="Stable"/>, <see cref="Candidate"/> (both from the registry) or <see cref="Configured"/> (the
/// bundle <c>keel serve --agent</c> loaded, served when the registry releases no version of the agent).</param>
/// <param name="Bucket">The run's rollout bucket, 0–99 (<see cref="RolloutAssignment.Bucket"/>): a run goes to the candidate
/// when its bucket is below the candidate's share.</param>
public sealed record VersionAssignment(string? Hash, string Arm, int Bucket)
{
    /// <summary>The arm of a run served by the agent's stable released version. Value: <c>stable</c>.</summary>
    public const string Stable = "stable";

    /// <summary>The arm of a run served by the candidate of a staged rollout. Value: <c>candidate</c>.</summary>
    public const string Candidate = "candidate";

    /// <summary>The arm of a run served by the bundle the server was started with. Value: <c>configured</c>.</summary>
    public const string Configured = "configured";

    /// <summary>Whether the version comes from the registry (stable or candidate) rather than the server's configured bundle.</summary>
    public bool FromRegistry => Arm is Stable or Candidate;
}

/// <summary>Sticky assignment of new runs to the stable version or the candidate of a staged rollout (docs/versions.md). The bucket
/// depends only on the workspace, the agent and the run id, so a retried create with the same id lands on the same version, and
/// the candidate's runs at N % are those with a bucket below N (widening keeps them on the candidate). Thread-safe.</summary>
public static class RolloutAssignment
{
    /// <summary>The run's bucket: the first 8 bytes (big-endian, unsigned) of SHA-256 over the UTF-8 text
    /// <c>keel.rollout.v1</c>, NUL, workspace, NUL, agent, NUL, run id — modulo 100.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="agent">The agent's name.</param>
    /// <param name="runId">The run id.</param>
    /// <returns>0–99.</returns>
    public static int Bucket(string workspaceId, string agent, string runId)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(runId);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"keel.rollout.v1\0{workspaceId}\0{agent}\0{runId}"));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % 100);
    }

    /// <summary>Chooses the released version that serves a run.</summary>
    /// <param name="versions">The agent's registered versions (any state; only released ones count).</param>
    /// <param name="bucket">The run's bucket (<see cref="Bucket"/>).</param>
    /// <returns>The version and its arm (<see cref="VersionAssignment.Stable"/> or <see cref="VersionAssignment.Candidate"/>), or
    /// <see langword="null"/> when no version of the agent is released. A candidate without a stable version (which the lifecycle
    /// does not allow) serves every run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="versions"/> is <see langword="null"/>.</exception>
    public static (VersionRecord Version, string Arm)? Choose(IReadOnlyList<VersionRecord> versions, int bucket)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var stable = versions.FirstOrDefault(v => v.IsStable);
        var candidate = versions.FirstOrDefault(v => v.IsCandidate);
        if (candidate is not null && (stable is null || bucket < candidate.SharePercent))
        {
            return (candidate, VersionAssignment.Candidate);
        }

        return stable is null ? null : (stable, VersionAssignment.Stable);
    }
}
