using Keel.Audit;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Audit;

public sealed class AuditRunChainTests
{
    [Fact]
    public void VerifyRunChain_IntactRunWithoutLedger_NoProblems()
    {
        var log = new AuditLogFixture().Save("ws", "r1", 4).Append("ws", "r1", 2);

        AuditVerifier.VerifyRunChain("ws", "r1", log.Events).ShouldBeEmpty();
    }

    [Fact]
    public void VerifyRunChain_ChangedPayload_ChangedAtThatEvent()
    {
        var log = new AuditLogFixture().Save("ws", "r1", 4);
        log.Replace("r1", 2, e => e with { PayloadJson = e.PayloadJson.Replace("message 2", "message two", StringComparison.Ordinal) });

        var problems = AuditVerifier.VerifyRunChain("ws", "r1", log.Events);

        problems.ShouldContain(p => p.Kind == AuditProblemKind.Changed && p.Sequence == 2);
    }

    [Fact]
    public void VerifyRunChain_AnotherRunsRecords_AreNotThisRunsChain()
    {
        var log = new AuditLogFixture().Save("ws", "r1", 3);

        AuditVerifier.VerifyRunChain("ws", "r2", log.Events).ShouldNotBeEmpty();
    }
}
