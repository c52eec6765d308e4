using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>The OTLP span buffer (<see cref="ISpanBuffer"/>): appends all or nothing, traces read in the order stored and per workspace,
/// removal up to the sequence a built run holds (later spans stay), pending traces listed for a restart, on any instance.</summary>
public abstract class SpanBufferConformanceTests : StoreConformanceTests
{
    private ISpanBuffer Spans => Store.Spans ?? throw new InvalidOperationException("the backend has no span buffer");

    private static BufferedSpans Spans_(string workspace, string trace, bool root, params byte[] payload) => new(workspace, trace, root, payload.Length, payload);

    [Fact]
    public async Task ReadTracesAsync_SeveralTracesAndWorkspaces_EachGetsItsOwnPayloadsInTheOrderStored()
    {
        await Spans.AppendAsync([Spans_("ws-a", "t1", false, 1), Spans_("ws-a", "t2", false, 2), Spans_("ws-b", "t1", false, 3)], Ct);
        await Spans.AppendAsync([Spans_("ws-a", "t1", true, 4, 5)], Ct);

        var read = await Spans.ReadTracesAsync([new TraceKey("ws-a", "t1"), new TraceKey("ws-b", "t1"), new TraceKey("ws-a", "none")], Ct);

        read.Count.ShouldBe(3);
        read[0].Spans.ShouldBe([[1], [4, 5]]);
        read[1].Spans.ShouldBe([[3]]);
        read[2].Spans.ShouldBeEmpty();
        read[2].LastSequence.ShouldBe(0);
        read[0].LastSequence.ShouldBeGreaterThan(read[1].LastSequence);
    }

    [Fact]
    public async Task RemoveTracesAsync_UpToTheSequenceRead_SpansStoredLaterStay()
    {
        await Spans.AppendAsync([Spans_("ws-a", "t1", false, 1), Spans_("ws-a", "t2", true, 2)], Ct);
        var read = await Spans.ReadTracesAsync([new TraceKey("ws-a", "t1"), new TraceKey("ws-a", "t2")], Ct);
        await Spans.AppendAsync([Spans_("ws-a", "t1", true, 9)], Ct);

        await Spans.RemoveTracesAsync([new BuiltTrace("ws-a", "t1", read[0].LastSequence), new BuiltTrace("ws-a", "t2", read[1].LastSequence)], Ct);

        var pending = (await Spans.ListPendingAsync(Ct)).ShouldHaveSingleItem();
        pending.ShouldBe(new PendingTrace("ws-a", "t1", 1, true));
        (await Spans.ReadTracesAsync([new TraceKey("ws-a", "t1")], Ct)).ShouldHaveSingleItem().Spans.ShouldBe([[9]]);
    }

    [Fact]
    public async Task ListPendingAsync_AnotherInstance_SeesEveryTraceWithItsSpanCountAndRoot()
    {
        await Spans.AppendAsync([new BufferedSpans("ws-a", "t1", false, 3, [1]), new BufferedSpans("ws-a", "t1", true, 2, [2]), new BufferedSpans("ws-b", "t2", false, 1, [3])], Ct);
        var other = await OpenInstanceAsync();

        var pending = await other.Spans!.ListPendingAsync(Ct);

        pending.OrderBy(p => p.WorkspaceId, StringComparer.Ordinal).ShouldBe([new PendingTrace("ws-a", "t1", 5, true), new PendingTrace("ws-b", "t2", 1, false)]);
    }

    [Fact]
    public async Task AppendAsync_Nothing_StoresNothing()
    {
        await Spans.AppendAsync([], Ct);

        (await Spans.ListPendingAsync(Ct)).ShouldBeEmpty();
    }
}
