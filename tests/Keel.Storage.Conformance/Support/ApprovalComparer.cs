using Keel.Approvals;

namespace Keel.Storage.Conformance.Support;

/// <summary>Compares approvals by value, their stages element by element (a record compares its list by reference).</summary>
public sealed class ApprovalComparer : IEqualityComparer<Approval>
{
    private static readonly ApprovalStage[] None = [];

    public static ApprovalComparer Instance { get; } = new();

    public bool Equals(Approval? x, Approval? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : x with { Stages = None } == y with { Stages = None } && x.Stages.SequenceEqual(y.Stages);

    public int GetHashCode(Approval obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
