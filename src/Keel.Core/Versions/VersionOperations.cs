using Keel.Bundles;
using Keel.Model;
using Keel.Storage;

namespace Keel.Versions;

/// <summary>A version found by its hash or a unique prefix of it, or why none was.</summary>
/// <param name="Record">The version; <see langword="null"/> on error.</param>
/// <param name="Error"><see cref="VersionErrorKind.NotFound"/> (no match) or <see cref="VersionErrorKind.BadInput"/> (the prefix matches
/// several); <see langword="null"/> when found.</param>
/// <param name="Message">The error in words; <see langword="null"/> when found.</param>
public sealed record VersionLookup(VersionRecord? Record, VersionErrorKind? Error = null, string? Message = null);

/// <summary>A stored version loaded for a diff: the version and its files, or why it could not be.</summary>
/// <param name="Agent">The loaded version; <see langword="null"/> on error.</param>
/// <param name="Content">Its files; <see langword="null"/> on error.</param>
/// <param name="Error">Why not; <see langword="null"/> when loaded.</param>
/// <param name="Message">The error in words; <see langword="null"/> when loaded.</param>
/// <param name="StoreDamaged">Whether the error is a version whose files are missing from the store (a damaged store, not bad input).</param>
public sealed record VersionSide(AgentVersion? Agent, BundleContent? Content, VersionErrorKind? Error = null, string? Message = null, bool StoreDamaged = false);

/// <summary>What <c>keel version</c> and the versions API (<c>/v1/agents/{agent}/versions</c>) both do on a registry: find a version
/// by (a prefix of) its hash, check and apply an action, load a stored version. One implementation for both, so the command line and
/// the API answer alike (docs/versions.md). Thread-safe.</summary>
public static class VersionOperations
{
    /// <summary>Finds a version by its full hash or a unique prefix (<c>sha256:80bb79</c> or <c>80bb79</c>).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="text">The hash or prefix.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version, or not found / ambiguous.</returns>
    /// <exception cref="StoreException">The registry could not be read.</exception>
    public static async Task<VersionLookup> FindAsync(IVersionRegistry registry, string workspaceId, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(text);
        if (await registry.GetVersionAsync(workspaceId, text, cancellationToken) is { } exact)
        {
            return new VersionLookup(exact);
        }

        var prefix = text.StartsWith("sha256:", StringComparison.Ordinal) ? text : "sha256:" + text;
        var matches = (await registry.ListVersionsAsync(workspaceId, null, cancellationToken)).Where(v => v.Hash.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => new VersionLookup(matches[0]),
            0 => new VersionLookup(null, VersionErrorKind.NotFound, $"no version {text} in workspace '{workspaceId}'; 'keel version list' shows them."),
            _ => new VersionLookup(null, VersionErrorKind.BadInput, $"{text} matches {matches.Count} versions ({string.Join(", ", matches.Select(m => m.Hash))}); give more of the hash."),
        };
    }

    /// <summary>Checks and applies an action: finds the version named (when any), refuses a version of another agent, runs
    /// <see cref="VersionValidation"/> before a validate, then <see cref="IVersionRegistry.ApplyVersionActionAsync"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="kind">The action.</param>
    /// <param name="hash">The version named (hash or unique prefix); <see langword="null"/> for a rollback to the previous version.</param>
    /// <param name="agent">The agent; <see langword="null"/> to take the named version's agent (then <paramref name="hash"/> is required).</param>
    /// <param name="actor">Who asks (a key id, or the operating-system user).</param>
    /// <param name="sharePercent">For a release: 1–100.</param>
    /// <param name="policies">The C# policies a validated version's <c>kind: custom</c> rules may name
    /// (<see cref="Composition.KeelComponents.PolicyOptions"/>); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the reads and the write.</param>
    /// <returns>The outcome; a refusal changed nothing.</returns>
    /// <exception cref="StoreException">The registry could not be read or written.</exception>
    public static async Task<VersionOutcome> ApplyAsync(IVersionRegistry registry, string workspaceId, VersionActionKind kind, string? hash, string? agent, string actor, int sharePercent, Policies.PolicyLoadOptions? policies = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        VersionRecord? record = null;
        if (hash is not null)
        {
            var found = await FindAsync(registry, workspaceId, hash, cancellationToken);
            if (found.Record is null)
            {
                return VersionOutcome.Refused(found.Error!.Value, found.Message!);
            }

            record = found.Record;
            if (agent is not null && record.Agent != agent)
            {
                return VersionOutcome.Refused(VersionErrorKind.BadInput, $"{record.Hash} is a version of '{record.Agent}', not of '{agent}'.");
            }
        }
        else if (agent is null)
        {
            return VersionOutcome.Refused(VersionErrorKind.BadInput, $"{VersionLifecycle.Name(kind)} needs the version's hash or the agent");
        }

        if (kind == VersionActionKind.Validate && record is not null)
        {
            var content = await registry.GetVersionContentAsync(workspaceId, record.Hash, cancellationToken);
            var problems = content is null ? ["the version's files are missing from the store"] : VersionValidation.Check(record, content, policies);
            if (problems.Count > 0)
            {
                return VersionOutcome.Refused(VersionErrorKind.BadInput, $"{record.Hash} is not valid and stays {VersionRecord.StateName(record.State)}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            }
        }

        return await registry.ApplyVersionActionAsync(workspaceId, new VersionAction(kind, agent ?? record!.Agent, record?.Hash, actor, sharePercent), cancellationToken);
    }

    /// <summary>Loads a stored version (hash or unique prefix) with its files, e.g. one side of a diff.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="text">The hash or prefix.</param>
    /// <param name="policies">The C# policies its <c>kind: custom</c> rules may name (<see cref="Composition.KeelComponents.PolicyOptions"/>);
    /// <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The version and files, or why not.</returns>
    /// <exception cref="StoreException">The registry could not be read.</exception>
    public static async Task<VersionSide> LoadAsync(IVersionRegistry registry, string workspaceId, string text, Policies.PolicyLoadOptions? policies = null, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(registry, workspaceId, text, cancellationToken);
        if (found.Record is not { } record)
        {
            return new VersionSide(null, null, found.Error, found.Message);
        }

        var stored = await registry.GetVersionContentAsync(workspaceId, record.Hash, cancellationToken);
        if (stored is null)
        {
            return new VersionSide(null, null, VersionErrorKind.NotFound, $"the files of {record.Hash} are missing from the store", StoreDamaged: true);
        }

        try
        {
            return new VersionSide(stored.Load(policies), stored);
        }
        catch (BundleLoadException ex)
        {
            return new VersionSide(null, null, VersionErrorKind.BadInput, $"{text} does not load as a bundle:{Environment.NewLine}{ex.Message}");
        }
    }
}
