using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Keel.Model;
using Keel.Server.Ingest;
using Keel.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Proto.Collector.Trace.V1;
using static Keel.Server.Tests.Ingest.OtlpTraces;

namespace Keel.Server.Tests.Ingest;

/// <summary><c>POST /v1/traces</c> (OTLP/HTTP) on the test host over a real SQLite file: spans become an audited run.</summary>
public sealed class OtlpIngestTests
{
    [Fact]
    public async Task ExportTraces_ProtobufGenAiSpans_BuildAnAuditedRunWithMessagesToolCallsAndWhatKeelWouldHaveDecided()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();

        var response = await PostAsync(gateway.Admin, Request(DeleteAccountRun(traceId)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-protobuf");
        ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess.ShouldBeNull();
        var run = await BuildAsync(gateway, traceId);
        run.Channel.ShouldBe(Run.OtlpChannel);
        run.Origin.ShouldBe("otlp");
        run.AgentName.ShouldBe("refund-desk");
        Messages(run).ShouldBe([(MessageRole.User, "Please delete my account u-7."), (MessageRole.Assistant, "Your account u-7 is deleted.")]);
        var call = run.Events.OfType<ToolCallEvent>().ShouldHaveSingleItem().Call;
        (call.Id, call.ToolName, call.ArgumentsJson).ShouldBe(("call_1", "delete_account", "{\"user_id\":\"u-7\"}"));
        run.Events.OfType<DecisionEvent>().ShouldHaveSingleItem().Decision.Kind.ShouldBe(DecisionKind.Deny);
        run.Events.OfType<ToolResultEvent>().ShouldHaveSingleItem().Result.Output.ShouldBe("{\"deleted\":true}");
    }

    [Fact]
    public async Task ExportTraces_JsonWithHexIdsAndGzip_BuildsTheSameRun()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        var json = JsonFormatter.Default.Format(Request(DeleteAccountRun(traceId)));
        json = HexIds(json);
        json.ShouldContain(Hex(traceId));

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await gateway.Admin.PostAsync("/v1/traces", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var run = await BuildAsync(gateway, traceId);
        Messages(run).Count.ShouldBe(2);
        run.Events.OfType<ToolCallEvent>().ShouldHaveSingleItem().Call.ToolName.ShouldBe("delete_account");
    }

    [Fact]
    public async Task ExportTraces_PreviousConventionPromptAndCompletionEvents_BecomeMessages()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        var chat = Span(traceId, 2, 1, "chat gpt-4", 10, 100, ("gen_ai.operation.name", "chat"), ("gen_ai.usage.prompt_tokens", 50L), ("gen_ai.usage.completion_tokens", 7L));
        chat.Events.Add(new OpenTelemetry.Proto.Trace.V1.Span.Types.Event { Name = "gen_ai.content.prompt", Attributes = { Attribute("gen_ai.prompt", "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Where is order 12?\"}]") } });
        chat.Events.Add(new OpenTelemetry.Proto.Trace.V1.Span.Types.Event { Name = "gen_ai.content.completion", Attributes = { Attribute("gen_ai.completion", "[{\"role\":\"assistant\",\"content\":\"Order 12 ships today.\"}]") } });
        var root = Span(traceId, 1, null, "invoke_agent", 0, 200, ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.agent.name", "legacy-bot"));

        (await PostAsync(gateway.Admin, Request(chat, root))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var run = await BuildAsync(gateway, traceId);
        run.AgentName.ShouldBe("legacy-bot");
        Messages(run).ShouldBe([(MessageRole.System, "Be brief."), (MessageRole.User, "Where is order 12?"), (MessageRole.Assistant, "Order 12 ships today.")]);
    }

    [Fact]
    public async Task ExportTraces_SpansOfOneTraceInSeveralBatchesOutOfOrder_OneRunAfterTheRootGrace()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        var spans = DeleteAccountRun(traceId);
        var assembler = gateway.Services.GetRequiredService<TraceAssembler>();

        (await PostAsync(gateway.Admin, Request(spans[0], spans[3]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await assembler.FlushAsync(cancellationToken: TestContext.Current.CancellationToken);
        (await StoredAsync(gateway, traceId)).ShouldBeNull();
        (await PostAsync(gateway.Admin, Request(spans[2], spans[1]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        gateway.Time.Advance(gateway.Services.GetRequiredService<OtlpIngestOptions>().RootGrace);
        await assembler.FlushAsync(cancellationToken: TestContext.Current.CancellationToken);

        var run = (await StoredAsync(gateway, traceId)).ShouldNotBeNull();
        Messages(run).Count.ShouldBe(2);
        run.Events.OfType<ToolResultEvent>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ExportTraces_ABrokenToolSpan_IsRejectedInPartialSuccessAndTheCallComesFromTheModelMessages()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        var spans = DeleteAccountRun(traceId);
        spans[2].SpanId = ByteString.CopyFrom(new byte[8]);

        var response = await PostAsync(gateway.Admin, Request(spans));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var partial = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess;
        partial.RejectedSpans.ShouldBe(1);
        partial.ErrorMessage.ShouldContain("spans[2]");
        partial.ErrorMessage.ShouldContain("span_id");
        var run = await BuildAsync(gateway, traceId);
        // Without its execute_tool span, the call is the one the model asked for, answered by the tool_call_response it was sent next.
        run.Events.OfType<ToolCallEvent>().ShouldHaveSingleItem().Call.Id.ShouldBe("call_1");
        run.Events.OfType<ToolResultEvent>().ShouldHaveSingleItem().Result.Output.ShouldBe("{\"deleted\":true}");
    }

    [Fact]
    public async Task ExportTraces_UndecodableBody_Is400ProblemAndNothingStored()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var content = new ByteArrayContent([0xff, 0xff, 0xff, 0x01]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        var response = await gateway.Admin.PostAsync("/v1/traces", content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString().ShouldBe("urn:keel:problem:malformed-request");
        (await gateway.Services.GetRequiredService<ISpanBuffer>().ListPendingAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportTraces_WithoutAKey_Is401()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await PostAsync(gateway.Client(null), Request(DeleteAccountRun(NewTraceId())));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetRun_AnotherWorkspace_CannotReadTheIngestedRun()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        await PostAsync(gateway.Admin, Request(DeleteAccountRun(traceId)));
        await BuildAsync(gateway, traceId);
        var other = await gateway.NewWorkspaceAsync("other");

        (await gateway.Admin.GetAsync($"/v1/runs/otlp-{Hex(traceId)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync($"/v1/runs/otlp-{Hex(traceId)}")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ExportTraces_ServerRestartsBeforeTheRunIsBuilt_TheAcknowledgedSpansAreBuiltAfterTheRestart()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var traceId = NewTraceId();
        (await PostAsync(gateway.Admin, Request(DeleteAccountRun(traceId)))).StatusCode.ShouldBe(HttpStatusCode.OK);

        await gateway.RestartAsync();

        var run = await BuildAsync(gateway, traceId);
        run.Events.OfType<ToolCallEvent>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Flush_MoreDueTracesThanOneBatch_EveryTraceIsBuiltOnceAndItsSpansLeaveTheBuffer()
    {
        await using var gateway = await new TestGateway().StartAsync();
        gateway.Services.GetRequiredService<OtlpIngestOptions>().BuildBatchSize = 2;
        var traceIds = Enumerable.Range(0, 5).Select(_ => NewTraceId()).ToArray();
        (await PostAsync(gateway.Admin, Request([.. traceIds.SelectMany(DeleteAccountRun)]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var assembler = gateway.Services.GetRequiredService<TraceAssembler>();
        var before = assembler.RunsBuilt;

        gateway.Time.Advance(gateway.Services.GetRequiredService<OtlpIngestOptions>().RootGrace);
        await assembler.FlushAsync(cancellationToken: TestContext.Current.CancellationToken); // the background sweep may build some first

        (assembler.RunsBuilt - before).ShouldBe(5);
        foreach (var traceId in traceIds)
        {
            (await StoredAsync(gateway, traceId)).ShouldNotBeNull().Events.OfType<ToolCallEvent>().ShouldHaveSingleItem();
        }

        (await gateway.Services.GetRequiredService<ISpanBuffer>().ListPendingAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        assembler.PendingTraces.ShouldBe(0);
    }

    [Fact]
    public void Options_BuildBatchSizeOutOfRange_NamesTheSetting() =>
        Should.Throw<ArgumentException>(() => new OtlpIngestOptions { BuildBatchSize = 0 }.Validate()).Message.ShouldContain("BuildBatchSize");

    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, ExportTraceServiceRequest request)
    {
        var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return client.PostAsync("/v1/traces", content);
    }

    private static async Task<Run> BuildAsync(TestGateway gateway, byte[] traceId)
    {
        await gateway.Services.GetRequiredService<TraceAssembler>().FlushAsync(all: true, TestContext.Current.CancellationToken);
        return (await StoredAsync(gateway, traceId)).ShouldNotBeNull();
    }

    private static Task<Run?> StoredAsync(TestGateway gateway, byte[] traceId) =>
        gateway.Services.GetRequiredService<IRunStore>().GetRunAsync("default", "otlp-" + Hex(traceId), TestContext.Current.CancellationToken);

    private static List<(MessageRole, string)> Messages(Run run) => [.. run.Events.OfType<MessageEvent>().Select(m => (m.Role, m.Content))];

    /// <summary>OTLP/JSON's ids are hex where proto3 JSON writes base64.</summary>
    private static string HexIds(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        foreach (var span in node["resourceSpans"]!.AsArray().SelectMany(r => r!["scopeSpans"]!.AsArray()).SelectMany(s => s!["spans"]!.AsArray()))
        {
            foreach (var field in new[] { "traceId", "spanId", "parentSpanId" })
            {
                if (span![field] is { } value)
                {
                    span[field] = Convert.ToHexStringLower(Convert.FromBase64String(value.GetValue<string>()));
                }
            }
        }

        return node.ToJsonString();
    }
}
