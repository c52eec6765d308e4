using Keel.Model;

namespace Keel.Evals;

/// <summary>How eval and backtest reports name an agent version.</summary>
public static class EvalDescriptions
{
    /// <summary>Name, version and policy version, e.g. <c>tau-airline 1.0.0 (policy 2024-05-15.1)</c>.</summary>
    /// <param name="agent">The agent version.</param>
    /// <returns>The description.</returns>
    public static string Of(AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return $"{agent.AgentName} {agent.Version} (policy {agent.Policies.Version})";
    }
}
