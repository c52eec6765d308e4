namespace Keel.Approvals;

/// <summary>Where an approval stands. Only <see cref="Granted"/> lets its call run, once; every other state holds it.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for people to decide; the call is held.</summary>
    Pending,

    /// <summary>Every required stage approved; the exact call may run once.</summary>
    Granted,

    /// <summary>A person denied it.</summary>
    Denied,

    /// <summary>Its time ran out before it was granted or used (fail-closed).</summary>
    Expired,

    /// <summary>The call ran under it; it cannot be used again.</summary>
    Used,
}
