using Keel.Model;
using Keel.Redaction;
using Shouldly;

namespace Keel.Storage.Conformance.Support;

/// <summary>Compares runs field by field; events, failures and packets by their JSON form, which includes every field
/// (RunEventJsonTests check that separately) and the exact offset of every timestamp.</summary>
public static class RunAssert
{
    /// <summary>Checks that a run read back from a store is the run saved, as the store keeps it: redacted by
    /// <paramref name="redactor"/> (the stores' default, <see cref="Redactor.Default"/>, when not given).</summary>
    public static void Same(Run? actual, Run expected, Redactor? redactor = null)
    {
        redactor ??= Redactor.Default;
        actual.ShouldNotBeNull();
        actual.Id.ShouldBe(expected.Id);
        actual.WorkspaceId.ShouldBe(expected.WorkspaceId);
        actual.AgentName.ShouldBe(expected.AgentName);
        actual.AgentVersion.ShouldBe(expected.AgentVersion);
        actual.StartedAt.ShouldBe(expected.StartedAt);
        actual.StartedAt.Offset.ShouldBe(expected.StartedAt.Offset);
        actual.Channel.ShouldBe(expected.Channel);
        actual.WorkflowClass.ShouldBe(expected.WorkflowClass);
        actual.Status.ShouldBe(expected.Status);
        actual.Events.Select(e => e.Sequence).ShouldBe(expected.Events.Select(e => e.Sequence));
        actual.Events.Select(RunEventJson.Serialize).ShouldBe(expected.Events.Select(e => RunEventJson.Serialize(e, redactor)));
        actual.Failures.ShouldBe(expected.Failures.Select(f => f with { Message = redactor.Redact(f.Message) }));
        (actual.Handoff is null ? null : RunEventJson.Serialize(actual.Handoff))
            .ShouldBe(expected.Handoff is null ? null : RunEventJson.Serialize(expected.Handoff, redactor));
    }
}
