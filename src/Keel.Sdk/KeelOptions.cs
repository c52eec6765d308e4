using Keel.Sdk.Api;
using Microsoft.Extensions.AI;

namespace Keel.Sdk;

/// <summary>How a governed agent reaches Keel: the gateway's address and key, the agent it runs as, and which run each
/// conversation is recorded on.</summary>
/// <remarks>Read once, when the chat client or agent middleware is built; change nothing afterwards. docs/sdk.md.</remarks>
public sealed class KeelOptions
{
    /// <summary>The base address of <c>keel serve</c>, e.g. <c>http://127.0.0.1:5080/</c>. Required unless <see cref="HttpClient"/>
    /// is set with a base address.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>An <c>agent</c> key of the agent, <c>keel_&lt;key id&gt;_&lt;secret&gt;</c> (docs/gateway-api.md). Required for a remote gateway. Kept in
    /// memory only, never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The agent's name. The key names the agent the server governs; when this is set, a run the server opens for another
    /// agent is refused with <see cref="InvalidOperationException"/> (a key for the wrong agent).</summary>
    /// <value>The default is <see langword="null"/>: whatever agent the key names.</value>
    public string? Agent { get; set; }

    /// <summary>The agent version the host expects; when set, a run governed by another version is refused with
    /// <see cref="InvalidOperationException"/>.</summary>
    /// <value>The default is <see langword="null"/>: the version the server serves.</value>
    public string? Version { get; set; }

    /// <summary>The channel recorded on new runs: <c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c>, <c>api</c> or <c>mcp</c>.</summary>
    /// <value>The default is <c>api</c>.</value>
    public string Channel { get; set; } = "api";

    /// <summary>The workflow class recorded on new runs (what budgets and reports group by).</summary>
    /// <value>The default is <see langword="null"/>: none.</value>
    public string? WorkflowClass { get; set; }

    /// <summary>Chooses the run a request belongs to: one run per conversation. Returns a run id (1–200 characters, no spaces or
    /// <c>/ \ ? # %</c>); an unknown id opens that run, a known one continues it.</summary>
    /// <value>The default uses <see cref="ChatOptions.ConversationId"/> when the host sets one, else one run per chat client (or
    /// per agent middleware) instance.</value>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, string?>? RunIdProvider { get; set; }

    /// <summary>An HTTP client to send the requests with (its <see cref="System.Net.Http.HttpClient.BaseAddress"/> is used when
    /// <see cref="Endpoint"/> is not set). The caller owns it.</summary>
    /// <value>The default is <see langword="null"/>: the SDK creates one for <see cref="Endpoint"/> and disposes it with the chat client.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Checks the settings and creates the typed gateway client.</summary>
    /// <param name="ownedHttp">The HTTP client the SDK created (dispose it), or <see langword="null"/> when the caller's was used.</param>
    /// <exception cref="InvalidOperationException">The endpoint or key is missing or malformed; the message names the setting.</exception>
    internal KeelGatewayClient CreateClient(out HttpClient? ownedHttp)
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new InvalidOperationException("KeelOptions.ApiKey is required: set it to an agent key of this agent (keel key create --role agent --agent <name>).");
        }

        ownedHttp = null;
        var http = HttpClient;
        if (http is null)
        {
            if (Endpoint is not { IsAbsoluteUri: true })
            {
                throw new InvalidOperationException("KeelOptions.Endpoint is required: set it to the keel serve address, e.g. http://127.0.0.1:5080/.");
            }

            http = ownedHttp = new HttpClient { BaseAddress = Endpoint };
        }
        else if (Endpoint is not null && http.BaseAddress is null)
        {
            http.BaseAddress = Endpoint;
        }

        if (http.BaseAddress is not { IsAbsoluteUri: true })
        {
            ownedHttp?.Dispose();
            throw new InvalidOperationException("KeelOptions.Endpoint is required when KeelOptions.HttpClient has no BaseAddress.");
        }

        try
        {
            return new KeelGatewayClient(http, ApiKey);
        }
        catch (ArgumentException ex)
        {
            ownedHttp?.Dispose();
            throw new InvalidOperationException($"KeelOptions.ApiKey: {ex.Message}", ex);
        }
    }
}
