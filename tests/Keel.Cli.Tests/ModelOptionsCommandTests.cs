using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel replay --classifier openai</c> and <c>keel eval --judge openai</c> end to end against a fake OpenAI-compatible
/// <c>/v1/chat/completions</c> server on 127.0.0.1 (docs/classifier.md).</summary>
[Collection(CliSerial.Name)]
public sealed class ModelOptionsCommandTests : IAsyncDisposable
{
    private const string KeyVariable = "KEEL_TEST_MODEL_OPTIONS_KEY";

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-model-cli-").FullName;
    private readonly FakeChatServer _server = new();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Environment.SetEnvironmentVariable(KeyVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Replay_ClassifierOnTelecomSample_ReportsLlmTopicAccuracyCostAndReusesTheFileCache()
    {
        var endpoint = await _server.StartAsync(TestContext.Current.CancellationToken);
        Environment.SetEnvironmentVariable(KeyVariable, "sk-test");
        string[] Args(string report) =>
        [
            "replay", Path.Combine(RepoPaths.Root, "samples", "runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json"),
            "--agent", Path.Combine(RepoPaths.Root, "samples", "tau2-telecom"), "--db", Path.Combine(_dir, "keel.db"), "--report", Path.Combine(_dir, report),
            "--parallelism", "2", "--classifier", "openai", "--classifier-endpoint", endpoint.ToString(), "--classifier-model", "fake-model",
            "--classifier-api-key-env", KeyVariable, "--classifier-cache", Path.Combine(_dir, "cache"), "--classifier-price-in", "1", "--classifier-price-out", "2",
        ];

        var (exit, text, stderr) = await CliRun.KeelAsync(Args("first"));

        exit.ShouldBe(0, text + stderr);
        var requests = _server.Requests;
        requests.ShouldNotBeEmpty();
        requests.ShouldAllBe(r => r.Authorization == "Bearer sk-test" && r.Body["model"]!.GetValue<string>() == "fake-model");
        requests[0].Body["response_format"]!["type"]!.GetValue<string>().ShouldBe("json_object");
        text.ShouldContain($"Classifier fake-model: {requests.Count} calls, 0 cache hits, 0 failures");
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "first", "report.json"), TestContext.Current.CancellationToken)))
        {
            var metrics = json.RootElement.GetProperty("metrics");
            metrics.GetProperty("topic_accuracy").GetDouble().ShouldBe(1.0);
            var mobileData = metrics.GetProperty("topic_confusion").GetProperty("mobile_data").EnumerateObject().Sum(p => p.Value.GetInt32());
            metrics.GetProperty("llm_topic_labelled_runs").GetInt32().ShouldBe(29);
            metrics.GetProperty("llm_topic_accuracy").GetDouble().ShouldBe(mobileData / 29.0);
            var cost = json.RootElement.GetProperty("classifier");
            cost.GetProperty("calls").GetInt64().ShouldBe(requests.Count);
            cost.GetProperty("input_tokens").GetInt64().ShouldBe(100L * requests.Count);
            cost.GetProperty("usd").GetDecimal().ShouldBe(((100m * 1) + (20m * 2)) * requests.Count / 1_000_000m);
        }

        // A second replay of the same runs asks nothing: every answer is in the file cache.
        (exit, text, _) = await CliRun.KeelAsync(Args("second"));

        exit.ShouldBe(0, text);
        _server.Requests.Count.ShouldBe(requests.Count);
        text.ShouldContain($"Classifier fake-model: 0 calls, {requests.Count} cache hits, 0 failures");
    }

    [Fact]
    public async Task Eval_JudgeOnAirlineSuiteAgainstItself_AddsJudgeScoresWithIntervalsAndKeepsTheGate()
    {
        var endpoint = await _server.StartAsync(TestContext.Current.CancellationToken);
        var report = Path.Combine(_dir, "eval.json");

        var (exit, text, stderr) = await CliRun.KeelAsync("eval", Path.Combine(RepoPaths.Root, "samples", "evals", "tau-bench-airline.json"), "--agent", RepoPaths.AirlineBundle,
            "--baseline", RepoPaths.AirlineBundle, "--json", report, "--parallelism", "2",
            "--judge", "openai", "--judge-endpoint", endpoint.ToString(), "--judge-model", "fake-judge");

        exit.ShouldBe(0, text + stderr);
        text.ShouldContain("59.4 % [49.4, 68.7] (57/96)");
        // The baseline is the same bundle: its questions are the candidate's, answered from the cache.
        _server.Requests.Count.ShouldBe(96);
        text.ShouldContain("Judge fake-judge: 96 calls, 96 cache hits, 0 failures");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken));
        var root = json.RootElement;
        root.GetProperty("summary").GetProperty("passed").GetInt32().ShouldBe(57);
        var judge = root.GetProperty("judge").EnumerateArray().ToDictionary(r => r.GetProperty("rubric").GetString()!);
        judge["decisions_justified"].GetProperty("cases").GetInt32().ShouldBe(96);
        judge["decisions_justified"].GetProperty("scored").GetInt32().ShouldBe(96);
        judge["decisions_justified"].GetProperty("mean_score").GetProperty("estimate").GetDouble().ShouldBe(0.75);
        judge["correct_handoff"].GetProperty("mean_score").GetProperty("estimate").GetDouble().ShouldBe(1.0);
        root.GetProperty("judge_difference").EnumerateArray().ShouldAllBe(d => d.GetProperty("difference").GetProperty("estimate").GetDouble() == 0);
        root.GetProperty("judge_cost").TryGetProperty("usd", out _).ShouldBeFalse("no prices were given");
        root.GetProperty("cases")[0].GetProperty("judge")[0].GetProperty("reason").GetString().ShouldBe("fake");
    }

    [Theory]
    [InlineData("--classifier", "anthropic", "--classifier 'anthropic' is not supported")]
    [InlineData("--classifier", "openai", "--classifier openai needs --classifier-endpoint")]
    [InlineData("--classifier-model", "m", "need --classifier openai; the classifier is off by default")]
    public async Task Replay_BadClassifierOptions_ExitsTwoNamingTheOption(string option, string value, string message)
    {
        var (exit, text, _) = await CliRun.KeelAsync("replay", RepoPaths.AirlineRuns, "--agent", RepoPaths.AirlineBundle, "--db", Path.Combine(_dir, "keel.db"), option, value);

        exit.ShouldBe(ExitCodes.BadInput);
        text.ShouldContain(message);
    }
}
