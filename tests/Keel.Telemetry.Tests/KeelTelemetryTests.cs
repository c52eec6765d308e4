using System.Diagnostics;
using System.Text.Json.Nodes;
using Keel.Diagnostics;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Telemetry.Tests;

public sealed class KeelTelemetryTests
{
    [Fact]
    public void CreateProviders_NoEndpointAnywhere_ReturnsProvidersThatExportNothing()
    {
        using var providers = KeelTelemetry.CreateProviders(new KeelTelemetryOptions { Environment = _ => null });

        providers.IsEnabled.ShouldBeFalse();
        providers.ForceFlush(0).ShouldBeTrue();
    }

    [Fact]
    public void CreateProviders_EndpointVariableSet_ExportsWithoutOptionsEndpoint()
    {
        var environment = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" };

        using var providers = KeelTelemetry.CreateProviders(new KeelTelemetryOptions { Environment = environment.GetValueOrDefault });

        providers.IsEnabled.ShouldBeTrue();
    }

    [Fact]
    public void CreateProviders_RelativeEndpoint_ThrowsNamingTheSetting()
    {
        var thrown = Should.Throw<ArgumentException>(() => KeelTelemetry.CreateProviders(new KeelTelemetryOptions { Endpoint = new Uri("collector/otlp", UriKind.Relative) }));

        thrown.Message.ShouldContain("KeelTelemetryOptions.Endpoint");
    }

    [Fact]
    public void CreateProviders_UnknownProtocol_ThrowsNamingTheAcceptedValues()
    {
        var thrown = Should.Throw<ArgumentException>(() => KeelTelemetry.CreateProviders(new KeelTelemetryOptions { Protocol = "http/json", Environment = _ => null }));

        thrown.Message.ShouldContain("'grpc' or 'http/protobuf'");
    }

    [Theory]
    [InlineData(null, null, "keel")]
    [InlineData(null, "  gateway-eu  ", "gateway-eu")]
    [InlineData("keel-staging", "gateway-eu", "keel-staging")]
    public void ServiceName_OptionsThenVariableThenDefault(string? fromOptions, string? fromVariable, string expected)
    {
        var options = new KeelTelemetryOptions { ServiceName = fromOptions, Environment = name => name == "OTEL_SERVICE_NAME" ? fromVariable : null };

        KeelTelemetry.ServiceName(options).ShouldBe(expected);
    }

    [Fact]
    public async Task CreateProviders_HttpProtobufEndpoint_ExportsTheExecuteToolSpanAndDecisionMetricToTheCollector()
    {
        await using var collector = new OtlpReceiver();
        var service = "keel-test-" + Guid.NewGuid().ToString("N")[..8];
        var tool = "lookup_" + Guid.NewGuid().ToString("N")[..8];
        using var providers = KeelTelemetry.CreateProviders(new KeelTelemetryOptions
        {
            Endpoint = collector.BaseAddress,
            Protocol = "http/protobuf",
            ServiceName = service,
            Environment = _ => null,
        });
        var agent = Agent(tool);
        var state = new RunState(new Run("run-" + tool, "default", agent.AgentName, agent.Version, DateTimeOffset.UnixEpoch));
        var pipeline = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, "default").Build();
        var call = new ToolCall("call_1", tool, """{"order_id": "o1"}""");

        var run = KeelDiagnostics.StartInvokeAgent(state.Run, agent, PipelineMode.Audit);
        await pipeline.ExecuteAsync(new ToolCallContext(call, state, agent, DateTimeOffset.UnixEpoch, PipelineMode.Audit, new ToolResult("call_1", ToolResultStatus.Ok, "{}")),
            TestContext.Current.CancellationToken);
        KeelDiagnostics.StopInvokeAgent(run, state, agent, PipelineMode.Audit);
        providers.ForceFlush(10_000).ShouldBeTrue();

        providers.IsEnabled.ShouldBeTrue();
        var traces = collector.Received.Where(r => r.Path == "/v1/traces" && r.Contains(service)).ToList();
        traces.ShouldNotBeEmpty();
        traces.ShouldAllBe(r => r.Method == "POST" && r.ContentType == "application/x-protobuf");
        traces.ShouldContain(r => r.Contains("execute_tool " + tool) && r.Contains("invoke_agent " + agent.AgentName) && r.Contains("keel.decision"));
        collector.Received.ShouldContain(r => r.Path == "/v1/metrics" && r.Contains(service) && r.Contains("keel.tool_call.decisions") && r.Contains(tool));
    }

    private static AgentVersion Agent(string tool)
    {
        var tools = JsonNode.Parse("""
            {"tools": [{"type": "function", "x-tool-type": "READ", "function": {"name": "TOOL", "description": "Look up an order.",
              "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}]}
            """.Replace("TOOL", tool, StringComparison.Ordinal));
        return new AgentVersion
        {
            AgentName = "agent-" + tool,
            Version = "1.0.0",
            Model = "test-model",
            PromptFile = "prompt.md",
            PromptSha256 = "00",
            Tools = ToolCatalogLoader.Parse(tools, "tools.json"),
            Policies = PolicyLoader.Parse("policy: p\nversion: \"1\"\nrules: []\n", "policies.yaml").Set!,
        };
    }
}
