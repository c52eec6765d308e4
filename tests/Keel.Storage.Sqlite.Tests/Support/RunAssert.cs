using Keel.Model;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests.Support;

/// <summary>Compares runs field by field; events, failures and packets by their JSON form, which includes every field
/// (RunEventJsonTests check that separately) and the exact offset of every timestamp.</summary>
internal static class RunAssert
{
    public static void Same(Run? actual, Run expected)
    {
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
        actual.Events.Select(RunEventJson.Serialize).ShouldBe(expected.Events.Select(RunEventJson.Serialize));
        actual.Failures.ShouldBe(expected.Failures);
        (actual.Handoff is null ? null : RunEventJson.Serialize(actual.Handoff))
            .ShouldBe(expected.Handoff is null ? null : RunEventJson.Serialize(expected.Handoff));
    }
}
