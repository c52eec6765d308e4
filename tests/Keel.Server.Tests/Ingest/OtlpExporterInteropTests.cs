using System.Diagnostics;
using Keel.Model;
using Keel.Server.Ingest;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Keel.Server.Tests.Ingest;

/// <summary>The OpenTelemetry .NET SDK's own OTLP/HTTP exporter — a client this project did not write — sends an instrumented agent's
/// spans to a real <c>keel serve</c> on 127.0.0.1, and they become a Keel run.</summary>
public sealed class OtlpExporterInteropTests
{
    [Fact]
    public async Task OtlpExporter_HttpProtobufToKeelServe_TheAgentsTraceBecomesARun()
    {
        var folder = Path.Combine(Path.GetTempPath(), "keel-otlp-interop", Guid.NewGuid().ToString("N"));
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(Path.Combine(folder, "keel.db")) };
        options.Agents.Add(TestGateway.RefundDesk);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: TestContext.Current.CancellationToken);
        await server.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var sourceName = "agent-under-test-" + Guid.NewGuid().ToString("N");
            using var source = new ActivitySource(sourceName);
            string traceId;
            using (var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
                .AddSource(sourceName)
                .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("refund-service"))
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(server.Addresses[0] + "/v1/traces");
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Headers = "Authorization=Bearer " + server.BootstrapAdminKey;

                    // One export per span as it ends: children reach the server before their parent, in separate batches.
                    o.ExportProcessorType = ExportProcessorType.Simple;
                })
                .Build())
            {
                using (var agent = source.StartActivity("invoke_agent refund-desk")!)
                {
                    agent.SetTag("gen_ai.operation.name", "invoke_agent").SetTag("gen_ai.agent.name", "refund-desk");
                    traceId = agent.TraceId.ToHexString();
                    using (var chat = source.StartActivity("chat gpt-4o")!)
                    {
                        chat.SetTag("gen_ai.operation.name", "chat").SetTag("gen_ai.usage.input_tokens", 80L).SetTag("gen_ai.usage.output_tokens", 12L)
                            .SetTag("gen_ai.input.messages", """[{"role":"user","parts":[{"type":"text","content":"Refund 900 dollars on order 5."}]}]""")
                            .SetTag("gen_ai.output.messages", """[{"role":"assistant","parts":[{"type":"text","content":"Refunding now."}],"finish_reason":"tool_call"}]""");
                    }

                    using (var tool = source.StartActivity("execute_tool refund_order")!)
                    {
                        tool.SetTag("gen_ai.operation.name", "execute_tool").SetTag("gen_ai.tool.name", "refund_order").SetTag("gen_ai.tool.call.id", "call_9")
                            .SetTag("gen_ai.tool.call.arguments", """{"order_id":"5","amount":900}""")
                            .SetStatus(ActivityStatusCode.Error, "payment provider refused");
                    }
                }

                provider.ForceFlush(10_000).ShouldBeTrue();
            }

            await server.App.Services.GetRequiredService<TraceAssembler>().FlushAsync(all: true, TestContext.Current.CancellationToken);
            var run = (await server.App.Services.GetRequiredService<IRunStore>().GetRunAsync("default", "otlp-" + traceId, TestContext.Current.CancellationToken)).ShouldNotBeNull();

            run.Channel.ShouldBe(Run.OtlpChannel);
            run.AgentName.ShouldBe("refund-desk");
            run.Events.OfType<MessageEvent>().Select(m => m.Content).ShouldBe(["Refund 900 dollars on order 5.", "Refunding now."]);
            run.Events.OfType<ToolCallEvent>().ShouldHaveSingleItem().Call.ToolName.ShouldBe("refund_order");

            // Above 500 the bundle asks for a supervisor: what Keel would have decided, beside what the agent did.
            run.Events.OfType<DecisionEvent>().ShouldHaveSingleItem().Decision.Kind.ShouldBe(DecisionKind.RequireApproval);
            var result = run.Events.OfType<ToolResultEvent>().ShouldHaveSingleItem().Result;
            (result.Status, result.Output).ShouldBe((ToolResultStatus.Error, "payment provider refused"));
        }
        finally
        {
            await server.App.StopAsync(CancellationToken.None);
            await server.App.DisposeAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
