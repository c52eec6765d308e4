namespace Keel.Model;

/// <summary>Lifecycle of an <see cref="AgentVersion"/>: draft → validated → released → retired.</summary>
public enum AgentVersionState
{
    /// <summary>Being edited; may be replayed against history but not served.</summary>
    Draft,

    /// <summary>Loaded and checked (schemas, policies, prompt hash).</summary>
    Validated,

    /// <summary>Serving live traffic.</summary>
    Released,

    /// <summary>No longer served; kept for audit.</summary>
    Retired,
}
