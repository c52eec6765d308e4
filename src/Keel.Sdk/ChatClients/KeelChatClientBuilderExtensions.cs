using Keel.Sdk;
using Keel.Sdk.ChatClients;
using Keel.Sdk.Governance;

namespace Microsoft.Extensions.AI;

/// <summary>Adds Keel to a Microsoft.Extensions.AI chat pipeline.</summary>
public static class KeelChatClientBuilderExtensions
{
    /// <summary>Proposes every function call of the pipeline to Keel first and records the conversation on a Keel run
    /// (<see cref="KeelChatClient"/>). Call it <b>before</b> <c>UseFunctionInvocation()</c>, so it sits above the
    /// function-invocation loop: <c>builder.UseKeel(o =&gt; { … }).UseFunctionInvocation()</c>.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Sets the gateway address, the agent key and the agent (<see cref="KeelOptions"/>).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: a required setting is missing (the message names it).</exception>
    public static ChatClientBuilder UseKeel(this ChatClientBuilder builder, Action<KeelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use(inner =>
        {
            var options = new KeelOptions();
            configure(options);
            return new KeelChatClient(inner, new KeelGovernor(options), ownsGovernor: true);
        });
    }

    /// <summary>Like <see cref="UseKeel(ChatClientBuilder, Action{KeelOptions})"/> with a governor the caller owns (one
    /// connection shared by several pipelines or agents).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="governor">The connection to Keel.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseKeel(this ChatClientBuilder builder, KeelGovernor governor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(governor);
        return builder.Use(inner => new KeelChatClient(inner, governor));
    }

    /// <summary>Like <see cref="UseKeel(ChatClientBuilder, Action{KeelOptions})"/> with a gateway the caller owns instead of a remote
    /// <c>keel serve</c>: the in-process gateway of <c>Keel.Sdk.InProcess</c> (Core's pipeline in this process) or any other
    /// <see cref="IKeelGateway"/>. docs/sdk.md, "In-process mode".</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="gateway">The gateway; not disposed with the pipeline.</param>
    /// <param name="configure">Sets the run settings (agent, version, channel, run ids); <see langword="null"/> for the defaults.
    /// The endpoint, key and HTTP client are not read.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="gateway"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseKeel(this ChatClientBuilder builder, IKeelGateway gateway, Action<KeelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(gateway);
        return builder.Use(inner =>
        {
            var options = new KeelOptions();
            configure?.Invoke(options);
            return new KeelChatClient(inner, new KeelGovernor(gateway, options), ownsGovernor: true);
        });
    }
}
