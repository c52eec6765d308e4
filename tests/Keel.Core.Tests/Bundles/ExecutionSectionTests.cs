using Keel.Bundles;
using Keel.Execution;
using Keel.Tools;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Bundles;

/// <summary>The optional <c>execution:</c> section of agent.yaml and a tool's <c>x-timeout-ms</c>.</summary>
public sealed class ExecutionSectionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keel-exec-" + Guid.NewGuid().ToString("N"));

    public ExecutionSectionTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(RepoPaths.TestBundle("minimal")))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_NoExecutionSection_LeavesTheGatewaysSettings()
    {
        AgentBundleLoader.Load(RepoPaths.TestBundle("minimal")).Execution.ShouldBeNull();
    }

    [Fact]
    public void Load_ExecutionSection_ReadsEveryKeyAndDefaultsTheRest()
    {
        WriteManifest("""
            execution:
              timeout_ms: 2500
              max_retries: 0
              jitter: false
              circuit_breaker:
                failure_ratio: 0.25
                break_duration_ms: 60000
            """);

        var execution = AgentBundleLoader.Load(_folder).Execution.ShouldNotBeNull();

        execution.ShouldBe(ExecutionOptions.Default with
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(2500),
            MaxRetries = 0,
            UseJitter = false,
            CircuitFailureRatio = 0.25,
            CircuitBreakDuration = TimeSpan.FromMinutes(1),
        });
    }

    [Fact]
    public void Load_TimeoutBelowTheMinimum_NamesTheLineTheKeyAndTheFix()
    {
        WriteManifest("""
            execution:
              timeout_ms: 5
            """);

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(_folder));

        ex.Line.ShouldBe(8);
        ex.Message.ShouldContain("execution.timeout_ms is 5 ms; set it between 10 ms and 86400000 ms (24 h)");
    }

    [Fact]
    public void Load_RetriesNotAWholeNumber_NamesTheKey()
    {
        WriteManifest("""
            execution:
              max_retries: two
            """);

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(_folder));

        ex.Message.ShouldContain("'max_retries' must be a whole number, 0 or more, not 'two'");
    }

    [Fact]
    public void Parse_XTimeoutMs_SetsTheToolsAttemptTimeout()
    {
        var catalog = ToolCatalogLoader.Parse(JsonNode.Parse("""
            {"tools": [{"type": "function", "x-timeout-ms": 1500, "function": {"name": "slow", "parameters": {"type": "object", "properties": {}}}},
                       {"type": "function", "function": {"name": "plain", "parameters": {"type": "object", "properties": {}}}}]}
            """), "tools.json");

        catalog.TryGet("slow", out var slow).ShouldBeTrue();
        slow.Timeout.ShouldBe(TimeSpan.FromMilliseconds(1500));
        catalog.TryGet("plain", out var plain).ShouldBeTrue();
        plain.Timeout.ShouldBeNull();
    }

    [Theory]
    [InlineData("5")]
    [InlineData("\"1000\"")]
    [InlineData("10.5")]
    public void Parse_XTimeoutMsOutOfRangeOrNotANumber_NamesThePathAndTheRange(string value)
    {
        var ex = Should.Throw<BundleLoadException>(() => ToolCatalogLoader.Parse(JsonNode.Parse(
            $$$"""{"tools": [{"type": "function", "x-timeout-ms": {{{value}}}, "function": {"name": "slow"}}]}"""), "tools.json"));

        ex.Message.ShouldContain("$.tools[0].x-timeout-ms must be a whole number of milliseconds between 10 and 86400000");
    }

    private void WriteManifest(string execution) =>
        File.WriteAllText(Path.Combine(_folder, "agent.yaml"), File.ReadAllText(Path.Combine(RepoPaths.TestBundle("minimal"), "agent.yaml")).TrimEnd() + "\n" + execution + "\n");
}
