using Keel.Sdk.Governance;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.ChatClients;

/// <summary>A host function that asks Keel before it runs: <see cref="KeelChatClient"/> puts one around every
/// <see cref="AIFunction"/> of a request, so the <see cref="FunctionInvokingChatClient"/> below it invokes the host's function
/// only when Keel allows the call.</summary>
/// <remarks>Name, description, schema and services (e.g. <see cref="ApprovalRequiredAIFunction"/>) are the inner function's.</remarks>
public sealed class KeelGovernedFunction : DelegatingAIFunction
{
    private readonly KeelGovernor _governor;

    /// <summary>Wraps a function.</summary>
    /// <param name="innerFunction">The host's function.</param>
    /// <param name="governor">The connection to Keel.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public KeelGovernedFunction(AIFunction innerFunction, KeelGovernor governor)
        : base(innerFunction)
    {
        ArgumentNullException.ThrowIfNull(governor);
        _governor = governor;
    }

    /// <inheritdoc />
    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // Under FunctionInvokingChatClient the current context carries the call id, the conversation and the options; a direct
        // invocation (no loop) gets a context of its own and the default run.
        var context = FunctionInvokingChatClient.CurrentContext ?? new FunctionInvocationContext { Function = InnerFunction, Arguments = arguments };
        return _governor.InvokeAsync(context, ct => InnerFunction.InvokeAsync(arguments, ct), cancellationToken);
    }
}
