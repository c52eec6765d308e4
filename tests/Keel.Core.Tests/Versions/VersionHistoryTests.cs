using Keel.Audit;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class VersionHistoryTests
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_FirstAndSecondEntry_ChainedFromTheWorkspaceGenesis()
    {
        var first = VersionHistory.Next(null, "ws", Change("register"));
        var second = VersionHistory.Next(first, "ws", Change("validate"));

        first.Sequence.ShouldBe(1);
        first.PreviousHash.ShouldBe(AuditHash.VersionGenesis("ws"));
        second.Sequence.ShouldBe(2);
        second.PreviousHash.ShouldBe(first.Hash);
        AuditHash.IsWellFormed(second.Hash).ShouldBeTrue();
        VersionHistory.Verify("ws", [first, second]).ShouldBeEmpty();
    }

    [Fact]
    public void Verify_EntryRemovedOrMovedToAnotherWorkspace_Reported()
    {
        var first = VersionHistory.Next(null, "ws", Change("register"));
        var second = VersionHistory.Next(first, "ws", Change("release"));
        var third = VersionHistory.Next(second, "ws", Change("rollback"));

        VersionHistory.Verify("ws", [first, third]).ShouldBe([
            "version history of 'ws': entry 2 has sequence 3 (an entry was removed or reordered)",
            "version history of 'ws': entry 3 does not follow the entry before it"]);
        VersionHistory.Verify("other", [first]).ShouldContain("version history of 'other': entry 1 does not follow the entry before it");
    }

    private static VersionEvent Change(string action) => new("", 0, "refund-desk", action, "sha256:" + new string('a', 64), "ana", s_at, action, "", "");
}
