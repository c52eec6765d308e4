using Keel.Storage.Sqlite.Gateway;
using Keel.Versions;

namespace Keel.Server.Tests.Versions;

/// <summary>Bundle folders for version tests: the refund desk, and a copy labelled <c>2.0.0-frozen</c> whose policies deny every refund
/// (rule <c>refund.frozen</c>), so which version decided a call shows in its decision.</summary>
internal sealed class Bundles : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("keel-version-bundles-").FullName;

    public Bundles()
    {
        Frozen = Path.Combine(_root, "frozen");
        Directory.CreateDirectory(Frozen);
        foreach (var file in Directory.GetFiles(RefundDeskFolder))
        {
            File.Copy(file, Path.Combine(Frozen, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(Frozen, "agent.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("version: 1.0.0", "version: 2.0.0-frozen", StringComparison.Ordinal));
        File.AppendAllText(Path.Combine(Frozen, "policies.yaml"), """

              - id: refund.frozen
                kind: tool_deny
                tools: [refund_order]
                cite: "Refunds above 500 dollars need a supervisor."

            """);
    }

    public static string RefundDeskFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk");

    /// <summary>The frozen copy's folder.</summary>
    public string Frozen { get; }

    /// <summary>Registers, validates and releases a bundle to a share of new runs in the <c>default</c> workspace.</summary>
    /// <returns>Its hash.</returns>
    public static async Task<string> ReleaseAsync(SqliteGatewayStore store, string folder, int share)
    {
        var (agent, content) = BundleContent.Read(folder);
        await store.RegisterVersionAsync("default", agent, content, "ops", null);
        (await VersionOperations.ApplyAsync(store, "default", VersionActionKind.Validate, content.Hash, null, "ops", 100)).Succeeded.ShouldBeTrue();
        var released = await VersionOperations.ApplyAsync(store, "default", VersionActionKind.Release, content.Hash, null, "ops", share);
        released.Succeeded.ShouldBeTrue(released.Message);
        return content.Hash;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
