using Keel.Bundles;

namespace Keel.Versions;

/// <summary>The check behind <c>keel version validate</c>: the stored files alone load as a bundle (<see cref="BundleContent.Load"/>,
/// with every check of <see cref="AgentBundleLoader"/>: schemas, policies with their CEL, the prompt's SHA-256, escalation rules),
/// hash to the version's hash, and name the version's agent. Thread-safe.</summary>
public static class VersionValidation
{
    /// <summary>Checks a stored version.</summary>
    /// <param name="record">The version record.</param>
    /// <param name="content">Its stored files.</param>
    /// <param name="policies">The C# policies its <c>kind: custom</c> rules may name (<see cref="Composition.KeelComponents.PolicyOptions"/>);
    /// <see langword="null"/> for none.</param>
    /// <returns>The problems, one per line; empty when the version is valid.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Check(VersionRecord record, BundleContent content, Policies.PolicyLoadOptions? policies = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Hash != record.Hash)
        {
            return [$"the stored files hash to {content.Hash}, not {record.Hash}: the store was changed outside Keel"];
        }

        try
        {
            var agent = content.Load(policies);
            return agent.AgentName == record.Agent ? [] : [$"the stored agent.yaml names agent '{agent.AgentName}', not '{record.Agent}'"];
        }
        catch (BundleLoadException ex)
        {
            return [.. ex.Message.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];
        }
    }
}
