using Keel.Benchmarks.Reliability;

namespace Keel.Server.Tests;

/// <summary>A real full disk (a small tmpfs; needs Linux and root, skipped otherwise): no call that ran is answered "nothing was
/// changed", no retry runs a call twice, and once space comes back every call that ran is stored and the audit verifies. The
/// smaller version of <c>bench … -- diskfull</c> (docs/reliability.md); <see cref="UnitOfWorkTests"/> covers the same promises
/// everywhere with a store that fails on demand.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task ProposeToolCall_DiskFillsDuringWrites_NoFalseNothingChangedAndNoDoubleExecution()
    {
        var (disk, reason) = await TmpfsMount.TryMountAsync(4L * 1024 * 1024);
        Assert.SkipWhen(disk is null, $"needs a tmpfs: {reason}");
        await using (disk)
        {
            var result = await DiskFullScenario.RunAsync(disk!, TestGateway.RefundDesk, 64L * 1024 * 1024, failuresWanted: 20, cancellationToken: TestContext.Current.CancellationToken);

            result.Answers.Keys.ShouldContain("503 store-unavailable", result.ToString());
            result.FalseNothingChanged.ShouldBe(0, result.ToString());
            result.DoubleExecutions.ShouldBe(0, result.ToString());
            result.OutcomeMissing.ShouldBe(0, result.ToString());
            result.UnrecordedAtEnd.ShouldBe(0, result.ToString());
            result.NotAnsweredOkAtEnd.ShouldBe(0, result.ToString());
            result.ServerErrors.ShouldBe(0, result.ToString());
            result.AuditIntact.ShouldBeTrue(result.ToString());
        }
    }
}
