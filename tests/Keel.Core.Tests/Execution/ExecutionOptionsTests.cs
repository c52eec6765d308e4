using System.Text.Json.Nodes;
using Keel.Execution;
using Keel.Gateway;
using Keel.Model;
using Keel.Tools;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Execution.ExecutionKit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Execution;

/// <summary>The execution settings: documented defaults, their worst case, validation, and where a tool's or an agent's own
/// settings replace the gateway's.</summary>
public sealed class ExecutionOptionsTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public void Default_Settings_AreTheDocumentedOnesWithA30600MsWorstCase()
    {
        var options = ExecutionOptions.Default;

        options.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.MaxRetries.ShouldBe(2);
        options.BaseDelay.ShouldBe(TimeSpan.FromMilliseconds(200));
        options.MaxDelay.ShouldBe(TimeSpan.FromSeconds(2));
        options.UseJitter.ShouldBeTrue();
        options.CircuitFailureRatio.ShouldBe(0.5);
        options.CircuitMinimumThroughput.ShouldBe(5);
        options.CircuitSamplingDuration.ShouldBe(TimeSpan.FromSeconds(30));
        options.CircuitBreakDuration.ShouldBe(TimeSpan.FromSeconds(15));
        options.MaxExecutionTime.ShouldBe(TimeSpan.FromMilliseconds(30_600));
    }

    [Fact]
    public void Validate_SettingsOutOfRange_NamesEachSettingItsValueAndTheRange()
    {
        var options = new ExecutionOptions { AttemptTimeout = TimeSpan.FromMilliseconds(5), MaxRetries = 11, CircuitFailureRatio = 0 };

        var ex = Should.Throw<ArgumentException>(options.Validate);

        ex.Message.ShouldContain("ExecutionOptions.AttemptTimeout is 5 ms; set it between 10 ms and 86400000 ms (24 h)");
        ex.Message.ShouldContain("ExecutionOptions.MaxRetries is 11; set it between 0 (never retry) and 10");
        ex.Message.ShouldContain("ExecutionOptions.CircuitFailureRatio is 0; set a share above 0 and at most 1");
        ex.Message.ShouldNotContain("BaseDelay");
    }

    [Fact]
    public void ExecuteStage_InvalidOptions_ThrowsBeforeAnyCall()
    {
        var ex = Should.Throw<ArgumentException>(() => new ExecuteStage(new ScriptedExecutor(ScriptedExecutor.Ok), new ExecutionOptions { BaseDelay = TimeSpan.FromSeconds(5) }));

        ex.Message.ShouldContain("ExecutionOptions.BaseDelay is 5000 ms; set it between 0 ms and MaxDelay (2000 ms)");
    }

    [Fact]
    public async Task ExecuteAsync_ToolDeclaresXTimeoutMs_AttemptTimesOutAtTheToolsOwnTimeout()
    {
        var clock = new ManualTimeProvider();
        var started = clock.GetUtcNow();
        var tools = ToolsJson.Replace("\"x-idempotent\": false,", "\"x-idempotent\": false, \"x-timeout-ms\": 500,", StringComparison.Ordinal);
        var agent = Agent() with { Tools = ToolCatalogLoader.Parse(JsonNode.Parse(tools), "tools.json") };
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(new ScriptedExecutor(ScriptedExecutor.Hang), Plain, clock), state, Call(Write), agent, Ct);

        outcome.Result.Output.ShouldContain("timed out after 500 ms");
        Executions(state).ShouldHaveSingleItem().DurationMs.ShouldBe(500);
        (clock.GetUtcNow() - started).ShouldBe(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task ExecuteAsync_AgentHasExecutionSettings_TheyReplaceTheGatewaysSettings()
    {
        var clock = new ManualTimeProvider();
        var tool = new ScriptedExecutor(ScriptedExecutor.Fail("503 Service Unavailable"), ScriptedExecutor.Ok);
        var agent = Agent() with { Execution = Plain with { MaxRetries = 0 } };
        var state = NewRun();

        var outcome = await EnforceAsync(clock, Pipeline(tool, Plain, clock), state, Call(Read), agent, Ct);

        tool.Attempts.ShouldBe(1);
        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
    }
}
