using System.Text.Json.Nodes;
using Keel.Gateway;
using Keel.Mcp.Upstream;
using Keel.Model;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Upstream;

/// <summary>Upstream tools as Keel tool definitions, checked against an agent's tools.json, and the executor inside Keel's pipeline.</summary>
public sealed class McpToolCatalogTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Record, schema, result check and execute (2 retries) over the connected upstream, whose process is then killed.</summary>
    private static async Task<ToolCallPipeline> PipelineAfterTheUpstreamCrashedAsync(TauUpstream tau)
    {
        await tau.Upstream.ConnectAsync(Token);
        var pipeline = new ToolCallPipelineBuilder()
            .Add(new RecordStage())
            .Add(new SchemaStage())
            .Add(new ResultCheckStage())
            .Add(new ExecuteStage(tau.Executor, new Keel.Execution.ExecutionOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1) }))
            .Build();
        await tau.KillAsync();
        return pipeline;
    }

    [Fact]
    public async Task ToToolCatalog_TauAirlineTools_TypesAndIdempotenceMatchTheAgentsToolsJson()
    {
        await using var tau = new TauUpstream();
        var tools = await tau.Upstream.ConnectAsync(Token);

        var catalog = McpUpstreamTool.ToToolCatalog(tools);

        catalog.Count.ShouldBe(14);
        foreach (var expected in TauUpstream.Agent.Tools.Tools)
        {
            catalog.TryGet(expected.Name, out var actual).ShouldBeTrue();
            (actual!.Type, actual.IsIdempotent, actual.Description).ShouldBe((expected.Type, expected.IsIdempotent, expected.Description), expected.Name);
            actual.ParameterNames.ShouldBe(expected.ParameterNames, expected.Name);
        }
    }

    [Fact]
    public async Task Check_ShippedAirlineBundleAgainstTauTools_FindsNoMismatch()
    {
        await using var tau = new TauUpstream();
        await tau.Executor.ConnectAsync(Token);

        McpToolCompatibility.Check(TauUpstream.Agent.Tools, tau.Executor.Tools).ShouldBeEmpty();
    }

    [Fact]
    public void Check_AgentDeclaresWhatTheUpstreamLacks_ReportsEachMismatch()
    {
        var agent = ToolCatalogLoader.Parse(JsonNode.Parse("""
            {"tools": [
              {"type": "function", "function": {"name": "get_order", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}, "verbose": {"type": "boolean"}}}}},
              {"type": "function", "function": {"name": "refund", "parameters": {"type": "object", "properties": {}}}}
            ]}
            """), "tools.json");
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}""");
        McpUpstreamTool[] upstream =
        [
            new("shop", "get_order", "Get an order.", schema.RootElement.Clone()),
            new("shop-mirror", "get_order", "Get an order.", schema.RootElement.Clone()),
        ];

        var problems = McpToolCompatibility.Check(agent, upstream);

        problems.ShouldBe([
            "tool 'get_order' is listed by upstream 'shop' and upstream 'shop-mirror'; calls go to 'shop' only",
            "tool 'get_order': parameter 'verbose' is in the agent's schema but not in upstream 'shop''s",
            "tool 'get_order': upstream 'shop' requires parameter 'order_id', which the agent's schema does not require",
            "tool 'refund' is in the agent's tools.json but no upstream MCP server lists it; its calls will fail",
        ]);
    }

    [Fact]
    public async Task Pipeline_ReadAfterTheUpstreamCrashed_ExecuteStageRetriesAndTheReconnectedServerAnswers()
    {
        await using var tau = new TauUpstream();
        var pipeline = await PipelineAfterTheUpstreamCrashedAsync(tau);

        var outcome = await pipeline.ExecuteAsync(TauUpstream.Context("get_reservation_details", """{"reservation_id": "4WQ150"}"""), Token);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Result.Status.ShouldBe(ToolResultStatus.Ok);
        outcome.Result.Output.ShouldContain("\"reservation_id\": \"4WQ150\"");
        outcome.Failure.ShouldBeNull();
    }

    [Fact]
    public async Task Pipeline_WriteAfterTheUpstreamCrashed_IsNotRetriedAndEscalates()
    {
        await using var tau = new TauUpstream();
        var pipeline = await PipelineAfterTheUpstreamCrashedAsync(tau);

        var outcome = await pipeline.ExecuteAsync(TauUpstream.Context("cancel_reservation", """{"reservation_id": "4WQ150"}"""), Token);

        outcome.Result.Status.ShouldBe(ToolResultStatus.Error);
        outcome.Result.Output.ShouldContain("upstream tool server 'tau-airline' is unavailable");
        outcome.Failure.ShouldNotBeNull();
        outcome.Failure.Class.ShouldBe(FailureClass.ToolTransient);
        outcome.Failure.Disposition.ShouldBe(Disposition.Escalate);
    }
}
