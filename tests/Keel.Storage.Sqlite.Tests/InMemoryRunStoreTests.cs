using Keel.Model;
using Keel.Storage.Sqlite.Tests.Conformance;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

public sealed class InMemoryRunStoreTests : RunStoreConformanceTests
{
    protected override Task<IRunStore> CreateStoreAsync() => Task.FromResult<IRunStore>(new InMemoryRunStore());

    [Fact]
    public async Task GetRunAsync_ReturnedRunChanged_StoredCopyIsUnchanged()
    {
        await Store.SaveRunAsync(SampleRuns.Small("r"), Ct);
        var first = await Store.GetRunAsync("ws-a", "r", Ct);

        first!.Append(new MessageEvent(MessageRole.User, "extra"));
        first.Status = RunStatus.Completed;

        var second = await Store.GetRunAsync("ws-a", "r", Ct);
        second!.Events.Count.ShouldBe(2);
        second.Status.ShouldBe(RunStatus.Active);
    }

    [Fact]
    public async Task SaveRunAsync_EventOfUnknownType_ThrowsStoreExceptionAndStoresNothing()
    {
        var run = SampleRuns.Small("r");
        run.Append(new UnknownEvent());

        var ex = await Should.ThrowAsync<StoreException>(() => Store.SaveRunAsync(run, Ct));

        ex.Message.ShouldContain("'r'");
        (await Store.GetRunAsync("ws-a", "r", Ct)).ShouldBeNull();
    }

    private sealed record UnknownEvent : RunEvent
    {
        public override RunEventKind Kind => RunEventKind.Message;
    }
}
