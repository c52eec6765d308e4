using System.Text.Json;
using Keel.Model;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests.Json;

public sealed class RunEventJsonTests
{
    public static TheoryData<RunEventKind> Kinds => new(Enum.GetValues<RunEventKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Serialize_EveryKind_RoundTripsEveryField(RunEventKind kind)
    {
        var events = SampleRuns.Full().Events.Where(e => e.Kind == kind).ToList();
        events.ShouldNotBeEmpty($"the sample run should hold a {kind} event");

        foreach (var original in events)
        {
            var json = RunEventJson.Serialize(original);

            var byKind = RunEventJson.Deserialize(RunEventJson.KindName(kind), json);
            var byDiscriminator = RunEventJson.Deserialize(json);

            foreach (var copy in new[] { byKind, byDiscriminator })
            {
                copy.GetType().ShouldBe(original.GetType());
                ShouldBeSame(copy, original);
                copy.Sequence.ShouldBe(original.Sequence);
                copy.Timestamp.ShouldBe(original.Timestamp);
                copy.Timestamp.Offset.ShouldBe(original.Timestamp.Offset);
                RunEventJson.Serialize(copy).ShouldBe(json);
            }
        }
    }

    [Fact]
    public void Serialize_Events_WriteSnakeCaseKindFirstAndNoComputedProperties()
    {
        var run = SampleRuns.Full();
        var names = run.Events.Select(e => JsonDocument.Parse(RunEventJson.Serialize(e)).RootElement.EnumerateObject().First().Value.GetString()).Distinct();

        names.ShouldBe(["message", "tool_call", "decision", "tool_result", "approval", "intervention", "finding", "handoff", "execution"], ignoreOrder: true);
        var decision = RunEventJson.Serialize(run.Events.OfType<DecisionEvent>().Last());
        decision.ShouldStartWith("{\"kind\":\"decision\",\"sequence\":7,\"timestamp\":\"2024-05-01T10:00:10.5008638+02:00\",");
        decision.ShouldContain("\"call_id\":\"call_2\"");
        decision.ShouldContain("\"kind\":\"require_approval\"");
        decision.ShouldContain("\"rule_id\":\"airline.cancel.eligibility\"");
        decision.ShouldNotContain("is_held_or_denied");
        decision.ShouldNotContain("\n");
        decision.ShouldNotContain("\": ");
        RunEventJson.Serialize(run.Events.OfType<ToolResultEvent>().First()).ShouldNotContain("is_success");
    }

    [Fact]
    public void Serialize_Enums_WritesSnakeCaseStrings()
    {
        var failure = new Failure(FailureClass.ToolTransient, Disposition.SafeStop, "timeout");

        var json = RunEventJson.Serialize(failure);

        json.ShouldContain("\"class\":\"tool_transient\"");
        json.ShouldContain("\"disposition\":\"safe_stop\"");
        json.ShouldContain("\"implies_narrower_permissions\":false");
        RunEventJson.Serialize(new ToolResultEvent(ToolResult.NotExecuted("c", "held"), "t")).ShouldContain("\"status\":\"not_executed\"");
    }

    [Fact]
    public void Serialize_NonAsciiText_IsWrittenAsIs()
    {
        var json = RunEventJson.Serialize(new MessageEvent(MessageRole.User, "café \"ok\" <b>"));

        json.ShouldContain("café \\\"ok\\\" <b>");
    }

    [Fact]
    public void Serialize_FailuresAndPacket_RoundTrip()
    {
        var run = SampleRuns.Full();

        foreach (var failure in run.Failures)
        {
            RunEventJson.DeserializeFailure(RunEventJson.Serialize(failure)).ShouldBe(failure);
        }

        var packet = RunEventJson.DeserializeHandoffPacket(RunEventJson.Serialize(run.Handoff!));
        ShouldBeSame(packet, run.Handoff!);
        packet.AgentUnderstanding.ShouldBe("customer wants a refund");
    }

    [Fact]
    public void Deserialize_UnknownKind_ThrowsArgumentExceptionListingKinds()
    {
        var ex = Should.Throw<ArgumentException>(() => RunEventJson.Deserialize("retrieval", "{}"));

        ex.Message.ShouldContain("'retrieval' is not a run event kind");
        ex.Message.ShouldContain("tool_call");
    }

    [Theory]
    [InlineData("message", "{\"sequence\":1,\"timestamp\":\"2024-05-01T10:00:00+00:00\",\"role\":\"user\"}")]
    [InlineData("message", "{\"sequence\":1,\"timestamp\":\"2024-05-01T10:00:00+00:00\",\"role\":\"user\",\"content\":null}")]
    [InlineData("message", "{\"sequence\":1,\"role\":\"shouting\",\"content\":\"x\"}")]
    [InlineData("message", "{\"sequence\":1,\"role\":0,\"content\":\"x\"}")]
    [InlineData("message", "null")]
    [InlineData("tool_call", "{\"call\":")]
    public void Deserialize_InvalidPayload_ThrowsJsonException(string kind, string json)
    {
        Should.Throw<JsonException>(() => RunEventJson.Deserialize(kind, json));
    }

    [Fact]
    public void Deserialize_KindNotFirst_ReadsByDiscriminator()
    {
        var copy = RunEventJson.Deserialize("{\"sequence\":4,\"action\":\"takeover\",\"kind\":\"intervention\",\"operator\":\"ana\"}");

        copy.ShouldBe(new InterventionEvent("takeover", "ana") { Sequence = 4 });
    }

    [Fact]
    public void KindName_EveryKind_ParsesBack()
    {
        foreach (var kind in Enum.GetValues<RunEventKind>())
        {
            RunEventJson.TryParseKind(RunEventJson.KindName(kind), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(kind);
        }

        RunEventJson.KindName(RunEventKind.ToolResult).ShouldBe("tool_result");
        RunEventJson.EnumName(RunStatus.AwaitingApproval).ShouldBe("awaiting_approval");
        RunEventJson.TryParseEnumName<RunStatus>("AwaitingApproval", out _).ShouldBeFalse();
        Should.Throw<ArgumentOutOfRangeException>(() => RunEventJson.EnumName((RunStatus)99));
    }

    /// <summary>Record equality, except that lists inside records are compared by content.</summary>
    private static void ShouldBeSame(RunEvent copy, RunEvent original)
    {
        switch (copy, original)
        {
            case (FindingEvent c, FindingEvent o):
                (c with { Finding = o.Finding }).ShouldBe(o);
                (c.Finding with { EventSequences = o.Finding.EventSequences }).ShouldBe(o.Finding);
                c.Finding.EventSequences.ShouldBe(o.Finding.EventSequences);
                break;
            case (HandoffEvent c, HandoffEvent o):
                (c with { Packet = o.Packet }).ShouldBe(o);
                ShouldBeSame(c.Packet, o.Packet);
                break;
            default:
                copy.ShouldBe(original);
                break;
        }
    }

    private static void ShouldBeSame(HandoffPacket copy, HandoffPacket original)
    {
        (copy with { ConversationTail = original.ConversationTail, ToolCalls = original.ToolCalls, WhatFailed = original.WhatFailed }).ShouldBe(original);
        copy.ConversationTail.ShouldBe(original.ConversationTail);
        copy.ToolCalls.ShouldBe(original.ToolCalls);
        copy.WhatFailed.ShouldBe(original.WhatFailed);
    }
}
