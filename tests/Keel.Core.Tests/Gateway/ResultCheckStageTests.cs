using Keel.Gateway;
using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

/// <summary>Result check in audit mode: the recorded result stands in for the tool and is classified.</summary>
public sealed class ResultCheckStageTests
{
    private static readonly ToolCallPipeline Audit = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, WorkspaceId).Build();

    [Fact]
    public async Task ExecuteAsync_RecordedBusinessError_IsASemanticFailureThatStopsSafely()
    {
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");
        var recorded = new ToolResult(call.Id, ToolResultStatus.Error, "Error: reservation ABC123 not found");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, recorded);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Result.ShouldBe(recorded);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolSemantic);
        failure.Disposition.ShouldBe(Disposition.SafeStop);
        failure.Message.ShouldBe("cancel_reservation refused the call: Error: reservation ABC123 not found");
        failure.ToolName.ShouldBe("cancel_reservation");
    }

    [Fact]
    public async Task ExecuteAsync_RecordedTimeoutOfIdempotentTool_IsTransientWithRetryDisposition()
    {
        var call = Call("get_reservation_details", """{"reservation_id": "ABC123"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, new ToolResult(call.Id, ToolResultStatus.Error, "Error: request timeout"));

        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.Disposition.ShouldBe(Disposition.Retry);
        failure.RetryCount.ShouldBe(0);
        failure.Message.ShouldBe("get_reservation_details failed transiently: Error: request timeout");
    }

    [Fact]
    public async Task ExecuteAsync_RecordedTimeoutOfNonIdempotentWrite_IsTransientButEscalatesInsteadOfRetrying()
    {
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, new ToolResult(call.Id, ToolResultStatus.Error, "Error: request timeout"));

        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.ToolTransient);
        failure.Disposition.ShouldBe(Disposition.Escalate);
        failure.Message.ShouldBe("cancel_reservation failed transiently and is not idempotent, so it is not retried: Error: request timeout");
    }

    [Fact]
    public async Task ExecuteAsync_RecordedTimeoutOfNonIdempotentWrite_NamesTheTeamItEscalatesTo()
    {
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, new ToolResult(call.Id, ToolResultStatus.Error, "Error: request timeout"));

        outcome.Failure.ShouldNotBeNull().HandoffTarget.ShouldBe(Team);
    }

    [Fact]
    public async Task ExecuteAsync_AllowedCallWithNoRecordedResult_IsIncomplete()
    {
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, recorded: null);

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        var failure = outcome.Failure.ShouldNotBeNull();
        failure.Class.ShouldBe(FailureClass.Incomplete);
        failure.Disposition.ShouldBe(Disposition.SafeStop);
        failure.Message.ShouldBe("cancel_reservation was allowed but no result came back: the recording has no result for this call");
    }

    [Fact]
    public async Task ExecuteAsync_RecordedSuccess_HasNoFailure()
    {
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");
        var recorded = new ToolResult(call.Id, ToolResultStatus.Ok, """{"status": "cancelled"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(), call, recorded);

        outcome.Result.ShouldBe(recorded);
        outcome.Failure.ShouldBeNull();
    }

    [Fact]
    public async Task ExecuteAsync_DeniedCallInAuditMode_KeepsThePolicyFailureNotTheRecordedError()
    {
        const string rules = "policy: t\nversion: \"1\"\nrules:\n  - id: no-cancel\n    kind: tool_deny\n    tools: [cancel_reservation]\n    cite: c\n";
        var call = Call("cancel_reservation", """{"reservation_id": "ABC123"}""");

        var outcome = await AuditAsync(Audit, NewRun(), Agent(rules), call, new ToolResult(call.Id, ToolResultStatus.Error, "Error: request timeout"));

        outcome.Decision.RuleId.ShouldBe("no-cancel");
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Policy);
    }
}
