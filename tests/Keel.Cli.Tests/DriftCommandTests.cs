using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class DriftCommandTests : IDisposable
{
    private static readonly string RetailRuns = Path.Combine(RepoPaths.Root, "samples", "runs", "tau2-bench", "gpt-4.1_retail_defautl_gpt-4.1_1trials.json");
    private static readonly string RetailBundle = Path.Combine(RepoPaths.Root, "samples", "tau2-retail");
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-drift-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<int> KeelAsync(params string[] args) => await KeelCommand.InvokeAsync(args, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Writes a tau2 run file holding the shipped sample's simulations that <paramref name="keep"/> selects, each changed by <paramref name="change"/>.</summary>
    private string Write(string name, Func<int, bool> keep, Action<JsonObject>? change = null)
    {
        var file = JsonNode.Parse(File.ReadAllText(RetailRuns))!.AsObject();
        var simulations = file["simulations"]!.AsArray();
        var kept = new JsonArray();
        for (var i = 0; i < simulations.Count; i++)
        {
            if (keep(i))
            {
                var simulation = simulations[i]!.DeepClone().AsObject();
                change?.Invoke(simulation);
                kept.Add(simulation);
            }
        }

        file["simulations"] = kept;
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, file.ToJsonString());
        return path;
    }

    /// <summary>Makes every assistant message with text 2,000 characters longer.</summary>
    private static void Verbose(JsonObject simulation)
    {
        foreach (var message in simulation["messages"]!.AsArray().Select(m => m!.AsObject()))
        {
            if ((string?)message["role"] == "assistant" && message["content"] is JsonValue content && ((string?)content)?.Length > 0)
            {
                message["content"] = (string)content! + " " + new string('x', 2000);
            }
        }
    }

    [Fact]
    public async Task Drift_ShippedSampleSplitInTwo_ExitsZeroWithEveryMetricReported()
    {
        var a = Write("even.json", i => i % 2 == 0);
        var b = Write("odd.json", i => i % 2 == 1);
        var output = Path.Combine(_dir, "drift.json");
        using var console = new CapturedConsole();

        var exit = await KeelAsync("drift", "--baseline", a, "--current", b, "--agent", RetailBundle, "--min-runs", "10", "--out", output);

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("Drift: 15 current runs against a baseline of 16");
        console.Text.ShouldContain("No metric drifted.");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        var metrics = json.RootElement.GetProperty("metrics").EnumerateArray().ToList();
        metrics.Select(m => m.GetProperty("name").GetString()).ShouldContain("task_success_rate");
        metrics.Count.ShouldBe(11);
        metrics.ShouldNotContain(m => m.GetProperty("verdict").GetString() == "drifted");
        json.RootElement.GetProperty("metrics_tested").GetInt32().ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task Drift_DefaultMinRunsOnHalves_SaysNotEnoughRuns()
    {
        var a = Write("even.json", i => i % 2 == 0);
        var b = Write("odd.json", i => i % 2 == 1, Verbose);
        using var console = new CapturedConsole();

        var exit = await KeelAsync("drift", "--baseline", a, "--current", b, "--agent", RetailBundle);

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("not enough runs");
        console.Text.ShouldContain("needs 20 runs per side (min runs); has 16 baseline and 15 current");
    }

    [Fact]
    public async Task Drift_LongerResponses_ExitsTenAndPostsTheAlertToTheWebhook()
    {
        var current = Write("verbose.json", _ => true, Verbose);
        using var webhook = new WebhookListener();
        using var console = new CapturedConsole();

        var exit = await KeelAsync("drift", "--baseline", RetailRuns, "--current", current, "--agent", RetailBundle, "--alert-webhook", webhook.Url);

        exit.ShouldBe(ExitCodes.Drifted, console.Text);
        console.Text.ShouldContain("Drifted: response_length");
        var body = await webhook.Received.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(body);
        var text = json.RootElement.GetProperty("text").GetString();
        text.ShouldNotBeNull().ShouldStartWith("Keel drift: ");
        text.ShouldContain("- response_length: median ");
    }

    [Fact]
    public async Task Drift_NoDrift_PostsNothing()
    {
        using var webhook = new WebhookListener();
        using var console = new CapturedConsole();

        var exit = await KeelAsync("drift", "--baseline", RetailRuns, "--current", RetailRuns, "--agent", RetailBundle, "--alert-webhook", webhook.Url);

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        webhook.Received.Task.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task Drift_NoCurrent_IsBadInput()
    {
        using var console = new CapturedConsole();

        (await KeelAsync("drift", "--baseline", RetailRuns, "--agent", RetailBundle)).ShouldBe(ExitCodes.BadInput);
        console.Text.ShouldContain("--current");
    }

    [Fact]
    public async Task Drift_SplitTrials_ReportsTheFalseAlarmShare()
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync("drift", "--baseline", RetailRuns, "--agent", RetailBundle, "--split-trials", "20", "--seed", "1", "--min-runs", "10");

        exit.ShouldBe(ExitCodes.Ok, console.Text);
        console.Text.ShouldContain("of 20 random splits of 31 runs into halves alarmed");
    }
}
