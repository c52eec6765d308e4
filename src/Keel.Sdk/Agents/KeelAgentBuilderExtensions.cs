using Keel.Sdk;
using Keel.Sdk.Governance;

namespace Microsoft.Agents.AI;

/// <summary>Adds Keel to a Microsoft Agent Framework agent as function-invocation middleware.</summary>
public static class KeelAgentBuilderExtensions
{
    /// <summary>Proposes every function call of the agent to Keel before it runs: an allowed call runs the agent's function, a
    /// refused or held call returns a sentence naming Keel's decision, rule and reason (and the approval id of a held call) as the
    /// function's result, and a held call ends the function-calling loop. Works on agents whose chat client has function
    /// invocation (<c>ChatClientAgent</c>). docs/sdk.md.</summary>
    /// <param name="builder">The agent pipeline builder (<c>agent.AsBuilder()</c>).</param>
    /// <param name="configure">Sets the gateway address, the agent key and the agent (<see cref="KeelOptions"/>).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A required setting is missing (the message names it).</exception>
    public static AIAgentBuilder UseKeel(this AIAgentBuilder builder, Action<KeelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new KeelOptions();
        configure(options);
        return builder.UseKeel(new KeelGovernor(options));
    }

    /// <summary>Like <see cref="UseKeel(AIAgentBuilder, Action{KeelOptions})"/> with a governor the caller owns.</summary>
    /// <param name="builder">The agent pipeline builder.</param>
    /// <param name="governor">The connection to Keel.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static AIAgentBuilder UseKeel(this AIAgentBuilder builder, KeelGovernor governor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(governor);
        return builder.Use((agent, context, next, cancellationToken) => governor.InvokeAsync(context, ct => next(context, ct), cancellationToken));
    }

    /// <summary>Like <see cref="UseKeel(AIAgentBuilder, Action{KeelOptions})"/> with a gateway the caller owns instead of a remote
    /// <c>keel serve</c>, e.g. the in-process gateway of <c>Keel.Sdk.InProcess</c>.</summary>
    /// <param name="builder">The agent pipeline builder.</param>
    /// <param name="gateway">The gateway; not disposed with the agent.</param>
    /// <param name="configure">Sets the run settings (agent, version, channel, run ids); <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="gateway"/> is <see langword="null"/>.</exception>
    public static AIAgentBuilder UseKeel(this AIAgentBuilder builder, IKeelGateway gateway, Action<KeelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var options = new KeelOptions();
        configure?.Invoke(options);
        return builder.UseKeel(new KeelGovernor(gateway, options));
    }
}
