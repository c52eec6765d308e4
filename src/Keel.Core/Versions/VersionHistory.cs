using Keel.Audit;

namespace Keel.Versions;

/// <summary>Builds and checks the hash chain of a workspace's version history (<see cref="VersionEvent"/>). Pure code; thread-safe.</summary>
public static class VersionHistory
{
    /// <summary>Completes the next entry of a history: its sequence, previous hash and hash.</summary>
    /// <param name="last">The workspace's last entry; <see langword="null"/> when the history is empty.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="change">What happened (its sequence and hashes are ignored).</param>
    /// <returns>The entry to store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="workspaceId"/> or <paramref name="change"/> is <see langword="null"/>.</exception>
    public static VersionEvent Next(VersionEvent? last, string workspaceId, VersionEvent change)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(change);
        var entry = change with
        {
            WorkspaceId = workspaceId,
            Sequence = (last?.Sequence ?? 0) + 1,
            PreviousHash = last?.Hash ?? AuditHash.VersionGenesis(workspaceId),
        };
        return entry with { Hash = AuditHash.VersionEvent(entry) };
    }

    /// <summary>Checks a workspace's history, oldest first: sequence numbers 1, 2, … without gaps, each entry's previous hash the
    /// hash of the entry before, each hash recomputed from the entry's fields.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="history">Its entries, oldest first.</param>
    /// <returns>One line per problem, naming the sequence number; empty when the chain is intact.</returns>
    public static IReadOnlyList<string> Verify(string workspaceId, IReadOnlyList<VersionEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var problems = new List<string>();
        var previous = AuditHash.VersionGenesis(workspaceId);
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            if (entry.Sequence != i + 1)
            {
                problems.Add($"version history of '{workspaceId}': entry {i + 1} has sequence {entry.Sequence} (an entry was removed or reordered)");
            }

            if (entry.PreviousHash != previous)
            {
                problems.Add($"version history of '{workspaceId}': entry {entry.Sequence} does not follow the entry before it");
            }

            if (AuditHash.VersionEvent(entry) != entry.Hash)
            {
                problems.Add($"version history of '{workspaceId}': entry {entry.Sequence} was changed after it was written");
            }

            previous = entry.Hash;
        }

        return problems;
    }
}
