using System.Security.Cryptography;

namespace Keel.Gateway;

/// <summary>The request rules every live entry point applies before a run is touched: <c>keel serve</c>'s runs and interventions
/// APIs and the in-process gateway (Keel.Sdk.InProcess) check the same names and ids with the same messages.</summary>
public static class LiveRequestRules
{
    /// <summary>The channels a run may be opened on, as a sentence's list.</summary>
    public const string RunChannels = "web, email, whatsapp, phone, api, mcp";

    /// <summary>The channels a message (the agent's, or an operator's) may name, as a sentence's list.</summary>
    public const string MessageChannels = "web, email, whatsapp, phone, api";

    /// <summary>The channel of a run opened without one.</summary>
    public const string DefaultRunChannel = "api";

    /// <summary>The longest run id, in characters.</summary>
    public const int MaxRunIdLength = 200;

    /// <summary>What a valid run id looks like, said to the caller that sent an invalid one.</summary>
    public const string RunIdRule = "a run id has 1 to 200 characters, without spaces or / \\ ? # % (it is part of the run's URL)";

    /// <summary>Whether a run may be opened on <paramref name="channel"/> (one of <see cref="RunChannels"/>).</summary>
    /// <param name="channel">The channel named.</param>
    /// <returns><see langword="true"/> for a known channel.</returns>
    public static bool IsRunChannel(string channel) => channel == "mcp" || IsMessageChannel(channel);

    /// <summary>Whether a message may name <paramref name="channel"/> (one of <see cref="MessageChannels"/>).</summary>
    /// <param name="channel">The channel named.</param>
    /// <returns><see langword="true"/> for a known channel.</returns>
    public static bool IsMessageChannel(string channel) => channel is "web" or "email" or "whatsapp" or "phone" or "api";

    /// <summary>Whether <paramref name="id"/> can be a run id: 1 to <see cref="MaxRunIdLength"/> characters, no control characters, no
    /// white space and none of <c>/ \ ? # %</c> (it is a segment of the run's URL).</summary>
    /// <param name="id">The id the caller asked for.</param>
    /// <returns><see langword="true"/> when valid; otherwise answer with <see cref="RunIdRule"/>.</returns>
    public static bool IsValidRunId(string id) =>
        id.Length is > 0 and <= MaxRunIdLength && !id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '%');

    /// <summary>The id of a run being opened: the one asked for, or a new <c>run_</c> and 16 hex digits (64 random bits) when none
    /// (or only white space) was asked for. Check an asked-for id with <see cref="IsValidRunId"/>.</summary>
    /// <param name="requested">The id in the request, or <see langword="null"/>.</param>
    /// <returns>The run id.</returns>
    public static string NewRunId(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : requested;
}
