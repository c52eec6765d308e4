using System.Text.Json;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel version</c> on a real SQLite file with the shipped tau-airline bundle: register, validate, release, staged rollout,
/// rollback, diff and history, with their exit codes.</summary>
[Collection(CliSerial.Name)]
public sealed class VersionCommandTests : IDisposable
{
    private readonly AdminCli _cli = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-version-cli-");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Register_ShippedSampleTwice_OneDraftThenNothingChanged()
    {
        var (exit, json) = await _cli.RunAsync("version", "register", RepoPaths.AirlineBundle, "--json", "--by", "ana");
        var (again, text) = await _cli.RunAsync("version", "register", RepoPaths.AirlineBundle);

        exit.ShouldBe(ExitCodes.Ok, json);
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("created").GetBoolean().ShouldBeTrue();
        root.GetProperty("version").GetProperty("state").GetString().ShouldBe("draft");
        root.GetProperty("version").GetProperty("created_by").GetString().ShouldBe("ana");
        root.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ShouldBe(["agent.yaml", "escalation.yaml", "policies.yaml", "tools.json", "wiki.md"]);
        again.ShouldBe(ExitCodes.Ok, text);
        text.ShouldContain("is already registered (draft); nothing was changed");
    }

    [Fact]
    public async Task ReleaseRolloutRollback_TwoVersions_OneCommandEachAndAllInTheHistory()
    {
        var stable = await RegisterValidatedAsync(RepoPaths.AirlineBundle);
        var candidate = await RegisterValidatedAsync(Variant("max_tool_calls: 30", "max_tool_calls: 40"));

        (await _cli.RunAsync("version", "release", stable)).Exit.ShouldBe(ExitCodes.Ok);
        var (rollout, text) = await _cli.RunAsync("version", "release", candidate[..20], "--share", "10");
        rollout.ShouldBe(ExitCodes.Ok, text);
        text.ShouldContain($"released {candidate} to 10 % of new runs; {stable} stays stable");
        (await StatesAsync()).ShouldBe([(stable, "released", 100), (candidate, "released", 10)]);
        var (rollback, back) = await _cli.RunAsync("version", "rollback", "--agent", "tau-airline");

        rollback.ShouldBe(ExitCodes.Ok, back);
        (await StatesAsync()).ShouldBe([(stable, "released", 100), (candidate, "validated", null)]);
        var (historyExit, history) = await _cli.RunAsync("version", "history", "--json");
        historyExit.ShouldBe(ExitCodes.Ok, history);
        JsonDocument.Parse(history).RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .ShouldBe(["register", "validate", "register", "validate", "release", "rollout", "rollback"]);
    }

    [Fact]
    public async Task Release_Draft_ExitsConflictAndSaysToValidate()
    {
        var (_, json) = await _cli.RunAsync("version", "register", RepoPaths.AirlineBundle, "--json");
        var hash = JsonDocument.Parse(json).RootElement.GetProperty("version").GetProperty("hash").GetString()!;

        var (exit, text) = await _cli.RunAsync("version", "release", hash);

        exit.ShouldBe(ExitCodes.Conflict, text);
        text.ShouldContain("validate it first");
        (await _cli.RunAsync("version", "release", "sha256:ffff")).Exit.ShouldBe(ExitCodes.NotFound);
        (await _cli.RunAsync("version", "list", "--workspace", "nowhere")).Exit.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Diff_RegisteredVersionAgainstAFolderWithoutARule_NamesTheRule()
    {
        var stable = await RegisterValidatedAsync(RepoPaths.AirlineBundle);
        var folder = Variant("  - id: airline.cancel.not-flown", "  - id: airline.cancel.not-flown-v2", file: "policies.yaml");

        var (exit, text) = await _cli.RunAsync("version", "diff", stable, folder);

        exit.ShouldBe(ExitCodes.Ok, text);
        text.ShouldContain("policy rule airline.cancel.not-flown-v2 added");
        text.ShouldContain("policy rule airline.cancel.not-flown removed");
    }

    [Fact]
    public async Task Register_BrokenBundle_ExitsBadInputAndStoresNothing()
    {
        var broken = Variant("sha256: 56c3", "sha256: 00c3");

        var (exit, text) = await _cli.RunAsync("version", "register", broken);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain("is not a valid bundle, nothing was registered");
        File.Exists(_cli.DbPath).ShouldBeFalse();
    }

    [Fact]
    public async Task List_RunsStoredUnderAVersion_ShowsTsrAndCpsrPerWorkflow()
    {
        var hash = await RegisterValidatedAsync(RepoPaths.AirlineBundle);
        await using (var store = new Keel.Storage.Sqlite.SqliteRunStore(new Keel.Storage.Sqlite.SqliteRunStoreOptions { Path = _cli.DbPath }))
        {
            foreach (var (id, status) in new[] { ("r1", Keel.Model.RunStatus.Completed), ("r2", Keel.Model.RunStatus.Failed) })
            {
                var run = new Keel.Model.Run(id, "default", "tau-airline", "1", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero))
                {
                    WorkflowClass = "airline",
                    Status = status,
                    Version = new Keel.Versions.VersionAssignment(hash, Keel.Versions.VersionAssignment.Stable, 3),
                };
                run.Append(new Keel.Model.MessageEvent(Keel.Model.MessageRole.Assistant, "done") { Usage = new Keel.Model.MessageUsage(100, 0.5m) });
                await store.SaveRunAsync(run, TestContext.Current.CancellationToken);
            }
        }

        var (exit, json) = await _cli.RunAsync("version", "list", "--json");
        var (_, text) = await _cli.RunAsync("version", "list");

        exit.ShouldBe(ExitCodes.Ok, json);
        var airline = JsonDocument.Parse(json).RootElement.EnumerateArray().Single().GetProperty("workflows").EnumerateArray().Single();
        (airline.GetProperty("workflow").GetString(), airline.GetProperty("ended").GetInt32(), airline.GetProperty("succeeded").GetInt32()).ShouldBe(("airline", 2, 1));
        airline.GetProperty("cost_per_success_usd").GetDecimal().ShouldBe(1m);
        text.ShouldContain("airline: TSR 50 % (1/2, 95 % CI 9–91 %), CPSR 1 USD");
    }

    private async Task<string> RegisterValidatedAsync(string bundle)
    {
        var (exit, json) = await _cli.RunAsync("version", "register", bundle, "--json");
        exit.ShouldBe(ExitCodes.Ok, json);
        var hash = JsonDocument.Parse(json).RootElement.GetProperty("version").GetProperty("hash").GetString()!;
        var (validated, text) = await _cli.RunAsync("version", "validate", hash);
        validated.ShouldBe(ExitCodes.Ok, text);
        return hash;
    }

    private async Task<List<(string, string, int?)>> StatesAsync()
    {
        var (_, json) = await _cli.RunAsync("version", "list", "--agent", "tau-airline", "--json");
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(v => (
            v.GetProperty("hash").GetString()!, v.GetProperty("state").GetString()!,
            v.GetProperty("share_percent").ValueKind == JsonValueKind.Null ? (int?)null : v.GetProperty("share_percent").GetInt32()))];
    }

    private string Variant(string find, string replace, string file = "agent.yaml")
    {
        var folder = Path.Combine(_dir.FullName, $"bundle-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var source in Directory.GetFiles(RepoPaths.AirlineBundle))
        {
            File.Copy(source, Path.Combine(folder, Path.GetFileName(source)));
        }

        var path = Path.Combine(folder, file);
        var text = File.ReadAllText(path);
        text.ShouldContain(find);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        return folder;
    }
}
