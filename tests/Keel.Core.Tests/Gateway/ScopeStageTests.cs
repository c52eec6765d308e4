using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

public sealed class ScopeStageTests
{
    [Fact]
    public async Task ExecuteAsync_RunOfAnotherWorkspace_DeniesAsPermissionFailureThatEscalates()
    {
        var tool = new FakeToolExecutor();
        var state = NewRun(workspace: "globex");

        var outcome = await EnforceAsync(Pipeline(tool, workspace: "acme"), state, Agent(), Call("get_reservation_details", """{"reservation_id": "ABC123"}"""));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Deny);
        outcome.Decision.Stage.ShouldBe("scope");
        outcome.Decision.RuleId.ShouldBe("scope.workspace");
        outcome.Decision.Reason.ShouldBe("the run belongs to another workspace");
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        tool.Attempts.ShouldBe(0);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.Permission);
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.HandoffTarget.ShouldBe(Team);
        failure.ImpliesNarrowerPermissions.ShouldBeTrue();
        state.Run.Failures.ShouldHaveSingleItem().Class.ShouldBe(FailureClass.Permission);
    }

    [Fact]
    public async Task ExecuteAsync_WorkspaceDiffersOnlyInCase_IsStillAnotherWorkspace()
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool, workspace: "acme"), NewRun(workspace: "ACME"), Agent(), Call("get_reservation_details", """{"reservation_id": "ABC123"}"""));

        outcome.Decision.RuleId.ShouldBe("scope.workspace");
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_RunOfTheServedWorkspace_ReachesTheTool()
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool, workspace: "acme"), NewRun(workspace: "acme"), Agent(), Call("get_reservation_details", """{"reservation_id": "ABC123"}"""));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Succeeded.ShouldBeTrue();
        outcome.Failure.ShouldBeNull();
        tool.Attempts.ShouldBe(1);
    }
}
