namespace Keel.Model;

/// <summary>How much a finding matters.</summary>
public enum FindingSeverity
{
    /// <summary>Informational tag.</summary>
    Info,

    /// <summary>Worth a look.</summary>
    Low,

    /// <summary>Likely a problem.</summary>
    Medium,

    /// <summary>A customer-visible or money-moving problem.</summary>
    High,
}
