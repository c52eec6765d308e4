using System.Text.Json;
using Keel.Benchmarks.Reliability;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>kill -9 under load: a real <c>keel serve</c> process takes concurrent tool calls and is killed with SIGKILL at a random
/// moment; every call it answered 200 (and every run it answered 201) is in the store afterwards, and the audit chain verifies.
/// The smaller version of <c>bench … -- crash</c> (docs/reliability.md).</summary>
[Collection(CliSerial.Name)]
public sealed class CrashTests
{
    [Fact]
    public async Task Serve_KilledUnderLoad_LosesNoAcknowledgedEvent()
    {
        using var reservations = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.AirlineBundle, "db", "reservations.json"), TestContext.Current.CancellationToken));
        var options = new CrashOptions(Path.Combine(AppContext.BaseDirectory, "keel.dll"), Path.Combine(AppContext.BaseDirectory, "keel-tau-tools.dll"), RepoPaths.AirlineBundle,
            [.. reservations.RootElement.EnumerateObject().Select(p => p.Name)], TimeSpan.FromSeconds(3), Workers: 4);
        var folder = Directory.CreateTempSubdirectory("keel-crash-test-");
        try
        {
            var result = await CrashTrial.RunAsync(options, folder.FullName, seed: 7, TestContext.Current.CancellationToken);

            result.AckedRuns.ShouldBeGreaterThan(0);
            result.LostEvents.ShouldBe(0, result.ToString());
            result.LostRuns.ShouldBe(0, result.ToString());
            result.WrongDecisions.ShouldBe(0, result.ToString());
            result.AuditIntact.ShouldBeTrue(result.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
