using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel version watch</c> on a real SQLite registry with the shipped tau2-retail bundle stable and a variant in a 10 % rollout:
/// the shipped runs as baseline, the same runs with every reward set to 0 as the candidate's runs (task success 26/31 → 0/31).</summary>
[Collection(CliSerial.Name)]
public sealed class VersionWatchCommandTests : IDisposable
{
    private static readonly string RetailRuns = Path.Combine(RepoPaths.Root, "samples", "runs", "tau2-bench", "gpt-4.1_retail_defautl_gpt-4.1_1trials.json");
    private static readonly string RetailBundle = Path.Combine(RepoPaths.Root, "samples", "tau2-retail");
    private readonly AdminCli _cli = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-watch-cli-");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Watch_RegressionWithRollbackRule_RevertsTheRolloutAsTheTriggerAndPostsTheAlert()
    {
        var (stable, candidate) = await RolloutAsync();
        using var webhook = new WebhookListener();

        var (exit, text) = await _cli.RunAsync("version", "watch", "tau2-retail", "--baseline", RetailRuns, "--current", FailingRuns(), "--triggers", Triggers("rollback"),
            "--alert-webhook", webhook.Url, "--parallelism", "1");

        exit.ShouldBe(ExitCodes.TriggerApplied, text);
        text.ShouldContain($"Watched: tau2-retail {candidate} (candidate, 10 % of new runs)");
        text.ShouldContain($"Action: reverted the rollout of {candidate} (10 %); {stable} serves every new run — trigger regression (clear_regression): task_success_rate 83.9 % (26/31) -> 0.0 % (0/31)");
        var (_, list) = await _cli.RunAsync("version", "list", "--agent", "tau2-retail", "--json");
        JsonDocument.Parse(list).RootElement.EnumerateArray().Select(v => (v.GetProperty("hash").GetString(), v.GetProperty("state").GetString()))
            .ShouldBe([(stable, "released"), (candidate, "validated")]);
        var (_, history) = await _cli.RunAsync("version", "history", "--json");
        var last = JsonDocument.Parse(history).RootElement.EnumerateArray().Last();
        (last.GetProperty("action").GetString(), last.GetProperty("actor").GetString()).ShouldBe(("rollback", "trigger:regression"));
        var body = await webhook.Received.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var alert = JsonDocument.Parse(body).RootElement.GetProperty("text").GetString().ShouldNotBeNull();
        alert.ShouldStartWith($"Keel triggers: 1 of 1 fired for agent tau2-retail version {candidate} (31 current runs against a baseline of 31;");
        alert.ShouldContain("- regression (clear_regression -> rollback): task_success_rate 83.9 % (26/31) -> 0.0 % (0/31)");
        alert.ShouldContain($"Action: reverted the rollout of {candidate}");
    }

    [Fact]
    public async Task Watch_DryRun_SaysWhatItWouldDoAndChangesAndPostsNothing()
    {
        var (stable, candidate) = await RolloutAsync();
        using var webhook = new WebhookListener();

        var (exit, json) = await _cli.RunAsync("version", "watch", "tau2-retail", "--baseline", RetailRuns, "--current", FailingRuns(), "--triggers", Triggers("pause_rollout"),
            "--alert-webhook", webhook.Url, "--dry-run", "--json", "--parallelism", "1");

        exit.ShouldBe(ExitCodes.Drifted, json);
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("triggers")[0].GetProperty("status").GetString().ShouldBe("fired");
        root.GetProperty("action").GetProperty("text").GetString().ShouldBe($"dry run: regression (pause_rollout) would revert the rollout of {candidate}");
        root.GetProperty("action").GetProperty("changed").GetBoolean().ShouldBeFalse();
        var (_, list) = await _cli.RunAsync("version", "list", "--agent", "tau2-retail", "--json");
        JsonDocument.Parse(list).RootElement.EnumerateArray().Select(v => v.GetProperty("state").GetString()).ShouldBe(["released", "released"]);
        webhook.Received.Task.IsCompleted.ShouldBeFalse();
        stable.ShouldNotBe(candidate);
    }

    [Fact]
    public async Task Watch_SameRunsOnBothSides_NoTriggerFiresExitZero()
    {
        await RolloutAsync();

        var (exit, text) = await _cli.RunAsync("version", "watch", "tau2-retail", "--baseline", RetailRuns, "--current", RetailRuns, "--parallelism", "1");

        exit.ShouldBe(ExitCodes.Ok, text);
        text.ShouldContain("Action: no trigger fired");
    }

    [Fact]
    public async Task Watch_TriggerFileWithAnUnknownCondition_BadInputNamingTheLine()
    {
        var file = Path.Combine(_dir.FullName, "bad.yaml");
        await File.WriteAllTextAsync(file, "triggers:\n  - {id: r, when: regression, action: rollback}\n", TestContext.Current.CancellationToken);

        var (exit, text) = await _cli.RunAsync("version", "watch", "tau2-retail", "--baseline", RetailRuns, "--current", RetailRuns, "--triggers", file);

        exit.ShouldBe(ExitCodes.BadInput, text);
        text.ShouldContain("bad.yaml:2:19: error: unknown condition 'regression'");
    }

    /// <summary>Registers and releases the shipped bundle, and a variant (another version label) to 10 % of new runs.</summary>
    private async Task<(string Stable, string Candidate)> RolloutAsync()
    {
        var stable = await RegisterValidatedAsync(RetailBundle);
        var folder = Path.Combine(_dir.FullName, "variant");
        Directory.CreateDirectory(folder);
        foreach (var source in Directory.GetFiles(RetailBundle))
        {
            File.Copy(source, Path.Combine(folder, Path.GetFileName(source)));
        }

        var agentYaml = Path.Combine(folder, "agent.yaml");
        await File.WriteAllTextAsync(agentYaml, (await File.ReadAllTextAsync(agentYaml)).Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal));
        var candidate = await RegisterValidatedAsync(folder);
        (await _cli.RunAsync("version", "release", stable)).Exit.ShouldBe(ExitCodes.Ok);
        (await _cli.RunAsync("version", "release", candidate, "--share", "10")).Exit.ShouldBe(ExitCodes.Ok);
        return (stable, candidate);
    }

    private async Task<string> RegisterValidatedAsync(string bundle)
    {
        var (exit, json) = await _cli.RunAsync("version", "register", bundle, "--json");
        exit.ShouldBe(ExitCodes.Ok, json);
        var hash = JsonDocument.Parse(json).RootElement.GetProperty("version").GetProperty("hash").GetString()!;
        (await _cli.RunAsync("version", "validate", hash)).Exit.ShouldBe(ExitCodes.Ok);
        return hash;
    }

    /// <summary>The shipped runs with every reward set to 0.</summary>
    private string FailingRuns()
    {
        var file = JsonNode.Parse(File.ReadAllText(RetailRuns))!.AsObject();
        foreach (var simulation in file["simulations"]!.AsArray())
        {
            simulation!["reward_info"]!["reward"] = 0.0;
        }

        var path = Path.Combine(_dir.FullName, "failing.json");
        File.WriteAllText(path, file.ToJsonString());
        return path;
    }

    private string Triggers(string action)
    {
        var path = Path.Combine(_dir.FullName, $"triggers-{action}.yaml");
        File.WriteAllText(path, $"triggers:\n  - id: regression\n    when: clear_regression\n    action: {action}\n");
        return path;
    }
}
