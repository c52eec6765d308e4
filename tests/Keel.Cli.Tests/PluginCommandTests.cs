using System.Text.Json;
using Keel.Composition;
using Keel.Model;
using Keel.Monitors;
using Keel.Policies;
using Keel.Storage.Sqlite;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class PluginCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-plugin-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>This test assembly, loaded by <c>keel</c> as a plugin assembly: it holds <see cref="TestKeelPlugin"/>.</summary>
    private static string PluginAssembly => typeof(TestKeelPlugin).Assembly.Location;

    [Fact]
    public async Task Replay_PluginPolicyAndMonitor_DecideAndWatchTheReplayedRuns()
    {
        var bundle = AirlineBundleWithCustomRule();
        var db = Path.Combine(_dir, "keel.db");

        var (exit, text, _) = await CliRun.KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", bundle, "--plugin", PluginAssembly, "--db", db, "--report", Path.Combine(_dir, "report"), "--parallelism", "2");

        exit.ShouldBe(0, text);
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = db }, cancellationToken: TestContext.Current.CancellationToken);
        var runs = await store.ListRunsAsync("default", 1000, TestContext.Current.CancellationToken);
        var decisions = new List<Decision>();
        var counted = 0;
        foreach (var summary in runs)
        {
            var run = (await store.GetRunAsync("default", summary.Id, TestContext.Current.CancellationToken)).ShouldNotBeNull();
            decisions.AddRange(run.Events.OfType<DecisionEvent>().Select(d => d.Decision));
            counted += run.Events.OfType<FindingEvent>().Count(f => f.Finding.Type == TestKeelPlugin.FindingType);
        }

        decisions.ShouldNotBeEmpty();
        decisions.ShouldContain(d => d.RuleId == "test.plugin.refuse_cancellations");
        decisions.Where(d => d.RuleId == "test.plugin.refuse_cancellations").ShouldAllBe(d => d.Kind == DecisionKind.Deny);
        counted.ShouldBe(runs.Count);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "report", "report.json"), TestContext.Current.CancellationToken));
        report.RootElement.GetProperty("metrics").GetProperty("runs_total").GetInt32().ShouldBe(160);
    }

    [Fact]
    public async Task Backtest_PluginPolicyInTheDraft_ShowsItsRuleInTheDecisionDiff()
    {
        var json = Path.Combine(_dir, "backtest.json");

        var (exit, text, _) = await CliRun.KeelAsync("backtest", RepoPaths.AirlineRuns, "--agent", AirlineBundleWithCustomRule(), "--baseline", RepoPaths.AirlineBundle,
            "--plugin", PluginAssembly, "--json", json, "--parallelism", "2");

        exit.ShouldBe(0, text);
        (await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken)).ShouldContain("test.plugin.refuse_cancellations");
    }

    [Fact]
    public async Task Replay_CustomRuleWithoutThePlugin_FailsNamingThePolicy()
    {
        var (exit, text, _) = await CliRun.KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", AirlineBundleWithCustomRule(), "--db", Path.Combine(_dir, "keel.db"));

        exit.ShouldBe(2);
        text.ShouldContain("RefuseCancellations");
        File.Exists(Path.Combine(_dir, "keel.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task Replay_MissingOrForeignPluginFile_FailsNamingTheFile()
    {
        var missing = Path.Combine(_dir, "missing.dll");
        var text = Path.Combine(_dir, "notes.dll");
        await File.WriteAllTextAsync(text, "not an assembly", TestContext.Current.CancellationToken);

        var first = await CliRun.KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--plugin", missing, "--db", Path.Combine(_dir, "keel.db"));
        var second = await CliRun.KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--plugin", text, "--db", Path.Combine(_dir, "keel.db"));

        first.Exit.ShouldBe(2);
        first.Text.ShouldContain($"no plugin assembly at '{missing}'");
        second.Exit.ShouldBe(2);
        second.Text.ShouldContain("is not a .NET assembly");
        File.Exists(Path.Combine(_dir, "keel.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task PolicyLint_CustomRule_PassesWithThePluginAndFailsNamingThePolicyWithout()
    {
        var bundle = AirlineBundleWithCustomRule();

        var with = await CliRun.KeelAsync("policy", "lint", bundle, "--plugin", PluginAssembly);
        var without = await CliRun.KeelAsync("policy", "lint", bundle);

        with.Exit.ShouldBe(0, with.Text);
        with.Text.ShouldContain("0 errors");
        without.Exit.ShouldBe(2, without.Text);
        without.Text.ShouldContain("RefuseCancellations");
    }

    [Fact]
    public async Task Version_BundleWithCustomRule_RegistersValidatesAndDiffsWithThePluginOnly()
    {
        using var cli = new AdminCli();
        var bundle = AirlineBundleWithCustomRule();

        var (refused, refusedText) = await cli.RunAsync("version", "register", bundle);
        var (registered, json) = await cli.RunAsync("version", "register", bundle, "--json", "--plugin", PluginAssembly);

        refused.ShouldBe(2, refusedText);
        refusedText.ShouldContain("RefuseCancellations");
        registered.ShouldBe(0, json);
        var hash = JsonDocument.Parse(json).RootElement.GetProperty("version").GetProperty("hash").GetString()!;
        var (unresolved, unresolvedText) = await cli.RunAsync("version", "validate", hash);
        unresolved.ShouldBe(2, unresolvedText);
        unresolvedText.ShouldContain("RefuseCancellations");
        var (validated, validatedText) = await cli.RunAsync("version", "validate", hash, "--plugin", PluginAssembly);
        validated.ShouldBe(0, validatedText);
        var (diffed, diff) = await cli.RunAsync("version", "diff", RepoPaths.AirlineBundle, hash, "--plugin", PluginAssembly);
        diffed.ShouldBe(0, diff);
        diff.ShouldContain("test.plugin.refuse_cancellations");
    }

    [Fact]
    public async Task Drift_BundleWithCustomRule_RunsWithThePluginAndFailsNamingThePolicyWithout()
    {
        var bundle = AirlineBundleWithCustomRule();
        var json = Path.Combine(_dir, "drift.json");

        var with = await CliRun.KeelAsync("drift", "--baseline", RepoPaths.AirlineRuns, "--current", RepoPaths.AirlineRuns, "--agent", bundle,
            "--plugin", PluginAssembly, "--out", json, "--parallelism", "2");
        var without = await CliRun.KeelAsync("drift", "--baseline", RepoPaths.AirlineRuns, "--current", RepoPaths.AirlineRuns, "--agent", bundle);

        with.Exit.ShouldBe(0, with.Text); // the same runs on both sides: nothing drifted
        File.Exists(json).ShouldBeTrue();
        without.Exit.ShouldBe(2, without.Text);
        without.Text.ShouldContain("RefuseCancellations");
    }

    [Fact]
    public async Task EvalBuildSuite_BundleWithCustomRule_WritesTheSuiteWithThePluginOnly()
    {
        var bundle = AirlineBundleWithCustomRule();
        var suite = Path.Combine(_dir, "suite.json");

        var without = await CliRun.KeelAsync("eval", "build-suite", RepoPaths.AirlineRuns, "--agent", bundle, "--out", suite);
        var existedAfterRefusal = File.Exists(suite);
        var with = await CliRun.KeelAsync("eval", "build-suite", RepoPaths.AirlineRuns, "--agent", bundle, "--out", suite, "--plugin", PluginAssembly);

        without.Exit.ShouldBe(2, without.Text);
        without.Text.ShouldContain("RefuseCancellations");
        existedAfterRefusal.ShouldBeFalse();
        with.Exit.ShouldBe(0, with.Text);
        File.Exists(suite).ShouldBeTrue();
    }

    /// <summary>A copy of the shipped airline bundle with one more rule: <c>kind: custom</c>, naming the plugin's policy.</summary>
    private string AirlineBundleWithCustomRule()
    {
        var folder = Path.Combine(_dir, "tau-airline");
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.GetFiles(RepoPaths.AirlineBundle))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            File.AppendAllText(Path.Combine(folder, "policies.yaml"),
                "\n  - id: test.plugin.refuse_cancellations\n    kind: custom\n    type: RefuseCancellations\n    tools: [cancel_reservation]\n"
                + "    reason: \"the plugin refuses cancellations\"\n    cite: \"As an airline agent, you can help users book, modify, or cancel flight reservations.\"\n");
        }

        return folder;
    }
}

/// <summary>A plugin as a user would write one: a C# policy and a monitor. <c>keel</c> loads it from this assembly's file.</summary>
public sealed class TestKeelPlugin : IKeelPlugin
{
    public const string FindingType = "test_plugin_seen";

    public void Configure(KeelBuilder keel) => keel.AddPolicy<RefuseCancellations>().AddMonitor<SeenMonitor>();

    public sealed class RefuseCancellations : IToolPolicy
    {
        public string Name => "RefuseCancellations";

        public PolicyVerdict Evaluate(PolicyContext context) => PolicyVerdict.Fail("cancellations go to a person");
    }

    public sealed class SeenMonitor : IRunMonitor
    {
        public string Name => "test_plugin";

        public IMonitorSession Start(Run run, AgentVersion agent) => new Session();

        private sealed class Session : IMonitorSession
        {
            public void Observe(RunEvent runEvent, ICollection<Finding> findings)
            {
            }

            public void Complete(ICollection<Finding> findings) => findings.Add(new Finding(FindingType, FindingSeverity.Info, "seen by the test plugin", [], "test_plugin"));
        }
    }
}
