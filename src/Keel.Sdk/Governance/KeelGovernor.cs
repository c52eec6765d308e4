using System.Collections.Concurrent;
using System.Text.Json;
using Keel.Sdk.Api;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Governance;

/// <summary>The SDK's one connection to Keel: the gateway (a remote <c>keel serve</c> through <see cref="KeelGatewayClient"/>, or an
/// in-process gateway, <see cref="IKeelGateway"/>), the options, and a <see cref="KeelRunSession"/> per run id. Shared by
/// <see cref="ChatClients.KeelChatClient"/> and the Agent Framework middleware.</summary>
/// <remarks>Thread-safe. Disposing it disposes the HTTP client it created (never the caller's, nor a gateway passed in).</remarks>
public sealed class KeelGovernor : IDisposable
{
    private readonly ConcurrentDictionary<string, KeelRunSession> _sessions = new(StringComparer.Ordinal);
    private readonly HttpClient? _ownedHttp;
    private readonly string _defaultRunId = $"sdk-{Guid.NewGuid():N}";

    /// <summary>Creates a governor of a remote <c>keel serve</c> (<see cref="KeelOptions.Endpoint"/>, <see cref="KeelOptions.ApiKey"/>).</summary>
    /// <param name="options">The settings; read now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A required setting is missing; the message names it.</exception>
    public KeelGovernor(KeelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Gateway = options.CreateClient(out _ownedHttp);
    }

    /// <summary>Creates a governor of a gateway the caller owns, e.g. the in-process gateway of <c>Keel.Sdk.InProcess</c>;
    /// <see cref="KeelOptions.Endpoint"/>, <see cref="KeelOptions.ApiKey"/> and <see cref="KeelOptions.HttpClient"/> are not read.</summary>
    /// <param name="gateway">The gateway; not disposed with the governor.</param>
    /// <param name="options">The run settings (agent, version, channel, run ids); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="gateway"/> is <see langword="null"/>.</exception>
    public KeelGovernor(IKeelGateway gateway, KeelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Options = options ?? new KeelOptions();
        Gateway = gateway;
    }

    /// <summary>The settings.</summary>
    public KeelOptions Options { get; }

    /// <summary>The gateway the calls, messages and results go to.</summary>
    public IKeelGateway Gateway { get; }

    /// <summary>The session of the run a request belongs to (<see cref="KeelOptions.RunIdProvider"/>).</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's options.</param>
    /// <returns>The session; the same instance for the same run id.</returns>
    public KeelRunSession SessionFor(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var runId = Options.RunIdProvider?.Invoke(messages, options) ?? options?.ConversationId ?? _defaultRunId;
        return _sessions.GetOrAdd(runId, id => new KeelRunSession(Gateway, Options, id));
    }

    /// <summary>Governs one function invocation: proposes it to Keel, runs <paramref name="invoke"/> only when Keel allows it and
    /// no upstream ran it (and then records its result on the run, <see cref="KeelRunSession.RunAllowedAsync"/>), and otherwise returns the text the model reads (an upstream answer, or Keel's decision and reason).
    /// A held call also ends the function-calling loop (<see cref="FunctionInvocationContext.Terminate"/>).</summary>
    /// <param name="context">The invocation (function, arguments, call content).</param>
    /// <param name="invoke">Runs the host's function.</param>
    /// <param name="cancellationToken">Cancels the requests and the function.</param>
    /// <returns>The function's result, or the text standing for it.</returns>
    /// <exception cref="KeelApiException">The gateway answered an error status.</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached.</exception>
    public async ValueTask<object?> InvokeAsync(FunctionInvocationContext context, Func<CancellationToken, ValueTask<object?>> invoke, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(invoke);
        var session = SessionFor(context.Messages, context.Options);
        var callId = context.CallContent?.CallId is { Length: > 0 } id ? id : $"call-{Guid.NewGuid():N}";
        var arguments = JsonSerializer.SerializeToElement(context.Arguments.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>)));
        var verdict = await session.ProposeAsync(callId, context.Function.Name, arguments, context.FunctionCallIndex, context.FunctionCount, cancellationToken).ConfigureAwait(false);
        switch (verdict.Kind)
        {
            case ToolCallVerdictKind.RunLocally:
                return await session.RunAllowedAsync(verdict, invoke, cancellationToken).ConfigureAwait(false);
            case ToolCallVerdictKind.Held:
                context.Terminate = true;
                return verdict.ResultText;
            default:
                return verdict.ResultText;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _ownedHttp?.Dispose();
}
