using System.Text.Json;
using Keel.Model;
using Keel.Provenance;
using Keel.Tools;

namespace Keel.Gateway;

/// <summary>What the pipeline knows about a run while deciding its next tool call: counters, facts from read calls, the conversation, call fingerprints.</summary>
/// <remarks>One instance per run; not thread-safe (one run is decided one call at a time).</remarks>
public sealed class RunState
{
    private readonly Dictionary<string, object?> _facts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _fingerprints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenResults = new(StringComparer.Ordinal);
    private readonly List<string> _userMessages = [];
    private readonly List<string> _toolsCalled = [];
    private readonly List<ConversationEntry> _conversation = [];
    private readonly List<(DateTimeOffset At, string Tool)> _allowedCalls = [];

    /// <summary>Creates the state of a new run.</summary>
    /// <param name="run">The run.</param>
    public RunState(Run run)
    {
        Run = run ?? throw new ArgumentNullException(nameof(run));
        RunView = new RunView(this);
    }

    /// <summary>The run.</summary>
    public Run Run { get; }

    /// <summary>Steps so far (messages + tool calls).</summary>
    public int Steps { get; private set; }

    /// <summary>Tool calls proposed so far.</summary>
    public int ToolCalls { get; private set; }

    /// <summary>Successful write calls so far.</summary>
    public int Writes { get; private set; }

    /// <summary>Model tokens used so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>Model cost so far, in USD.</summary>
    public decimal CostUsd { get; private set; }

    /// <summary>Tool calls in a row that added no new information.</summary>
    public int CallsWithoutProgress { get; private set; }

    /// <summary>Facts by read tool, then by key (see <see cref="FactKey"/>); values are parsed JSON (<see cref="JsonElement"/>) or the raw string.</summary>
    public IReadOnlyDictionary<string, object?> Facts => _facts;

    /// <summary>User messages, oldest first.</summary>
    public IReadOnlyList<string> UserMessages => _userMessages;

    /// <summary>Names of tools called so far, in order.</summary>
    public IReadOnlyList<string> ToolsCalled => _toolsCalled;

    /// <summary>The conversation and tool writes in order, for confirmation checks.</summary>
    public IReadOnlyList<ConversationEntry> Conversation => _conversation;

    /// <summary>Text of the last user message, empty when none.</summary>
    public string LastUserMessage { get; private set; } = string.Empty;

    /// <summary>Text of the last assistant message, empty when none.</summary>
    public string LastAssistantMessage { get; private set; } = string.Empty;

    /// <summary>The <c>run</c> variable of policy expressions.</summary>
    public IReadOnlyDictionary<string, object?> RunView { get; }

    /// <summary>Where every value of the run appeared (user and system messages, trusted and untrusted tool output), for data-flow rules.</summary>
    public ProvenanceIndex Provenance { get; } = new();

    /// <summary>Receives every event appended to the run (monitors); <see langword="null"/> for none.</summary>
    public IRunObserver? Observer { get; set; }

    /// <summary>Appends a message to the run, updates the state and notifies the observer.</summary>
    /// <param name="role">Who wrote it.</param>
    /// <param name="content">The text.</param>
    /// <param name="timestamp">When (run clock).</param>
    /// <returns>The stored event.</returns>
    public MessageEvent AppendMessage(MessageRole role, string content, DateTimeOffset timestamp) =>
        AppendMessage(new MessageEvent(role, content) { Timestamp = timestamp });

    /// <summary>Appends a message with its metadata (channel, author), updates the state and notifies the observer.</summary>
    /// <param name="message">The message, its <see cref="RunEvent.Timestamp"/> set (run clock).</param>
    /// <returns>The stored event (with its sequence number).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public MessageEvent AppendMessage(MessageEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stored = Run.Append(message);
        OnMessage(stored.Role, stored.Content, stored.Sequence);
        Observe(stored);
        return stored;
    }

    /// <summary>Notifies the observer of an appended event.</summary>
    /// <param name="runEvent">The event.</param>
    public void Observe(RunEvent runEvent) => Observer?.Observe(runEvent);

    /// <summary>Records a message.</summary>
    /// <param name="role">Who wrote it.</param>
    /// <param name="content">The text.</param>
    /// <param name="sequence">The message event's sequence number, for provenance; -1 when unknown.</param>
    public void OnMessage(MessageRole role, string content, long sequence = -1)
    {
        Steps++;
        if (role is MessageRole.User or MessageRole.System)
        {
            Provenance.Add(content, new SourceRef(role == MessageRole.User ? ValueOrigin.User : ValueOrigin.System, role == MessageRole.User ? "user message" : "system prompt", sequence));
        }

        _conversation.Add(new ConversationEntry(role, content, null));
        if (role == MessageRole.User)
        {
            _userMessages.Add(content);
            LastUserMessage = content;
        }
        else if (role == MessageRole.Assistant)
        {
            LastAssistantMessage = content;
        }
    }

    /// <summary>Counts a proposed tool call (before it is decided) and returns how often its fingerprint was seen before.</summary>
    /// <param name="fingerprint">The call fingerprint (tool + canonical arguments).</param>
    /// <returns>How many earlier calls had the same fingerprint.</returns>
    public int OnToolCallProposed(string fingerprint)
    {
        Steps++;
        ToolCalls++;
        _fingerprints.TryGetValue(fingerprint, out var seen);
        _fingerprints[fingerprint] = seen + 1;
        return seen;
    }

    /// <summary>Records a call that the pipeline allowed, for rate limits.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="at">When (run clock).</param>
    public void OnCallAllowed(string tool, DateTimeOffset at) => _allowedCalls.Add((at, tool));

    /// <summary>Counts allowed calls of the given tools since a time.</summary>
    /// <param name="tools">Tool names; <see langword="null"/> for every tool.</param>
    /// <param name="since">Window start (inclusive); <see cref="DateTimeOffset.MinValue"/> for the whole run.</param>
    /// <returns>The count.</returns>
    public int CountAllowedCalls(IReadOnlySet<string>? tools, DateTimeOffset since)
    {
        var count = 0;
        foreach (var (at, tool) in _allowedCalls)
        {
            if (at >= since && (tools is null || tools.Contains(tool)))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Records a tool result: read results become facts; successful writes are counted; progress is tracked.</summary>
    /// <param name="tool">The tool definition, or <see langword="null"/> for an unknown tool.</param>
    /// <param name="call">The call.</param>
    /// <param name="arguments">The parsed arguments (default when malformed).</param>
    /// <param name="result">The result.</param>
    /// <param name="sequence">The result event's sequence number, for provenance; -1 when unknown.</param>
    public void OnToolResult(ToolDefinition? tool, ToolCall call, JsonElement arguments, ToolResult result, long sequence = -1)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(result);
        _toolsCalled.Add(call.ToolName);
        if (result.Status != ToolResultStatus.NotExecuted)
        {
            // What the agent read: an unknown tool's output is treated as untrusted.
            Provenance.AddToolOutput(call.ToolName, tool?.OutputTrust ?? OutputTrust.Untrusted, arguments, result.Output, sequence);
        }

        var isNew = result.Status != ToolResultStatus.NotExecuted && _seenResults.Add(call.ToolName + "\u001f" + result.Output);
        CallsWithoutProgress = isNew ? 0 : CallsWithoutProgress + 1;
        if (!result.IsSuccess || tool is null)
        {
            return;
        }

        if (tool.Type == ToolType.Write)
        {
            Writes++;
            _conversation.Add(new ConversationEntry(MessageRole.System, string.Empty, call.ToolName));
        }
        else if (tool.Type == ToolType.Read)
        {
            if (!_facts.TryGetValue(call.ToolName, out var byKey) || byKey is not Dictionary<string, object?> map)
            {
                map = new Dictionary<string, object?>(StringComparer.Ordinal);
                _facts[call.ToolName] = map;
            }

            map[FactKey(arguments)] = ParseOutput(result.Output);
        }
    }

    /// <summary>Adds model usage to the run's counters.</summary>
    /// <param name="tokens">Tokens used.</param>
    /// <param name="costUsd">Cost in USD.</param>
    public void AddUsage(long tokens, decimal costUsd)
    {
        Tokens += tokens;
        CostUsd += costUsd;
    }

    /// <summary>The key a read result is filed under: the single argument's value as text; the canonical JSON of the arguments when there are several; empty when none.</summary>
    /// <param name="arguments">The call's arguments.</param>
    /// <returns>The key.</returns>
    public static string FactKey(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        JsonProperty? single = null;
        var count = 0;
        foreach (var property in arguments.EnumerateObject())
        {
            single = property;
            count++;
        }

        return count switch
        {
            0 => string.Empty,
            1 => single!.Value.Value.ValueKind == JsonValueKind.String ? single.Value.Value.GetString()! : single.Value.Value.GetRawText(),
            _ => CanonicalJson.Write(arguments),
        };
    }

    private static object? ParseOutput(string output)
    {
        var trimmed = output.AsSpan().TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            try
            {
                using var doc = JsonDocument.Parse(output);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return output;
            }
        }

        return output;
    }
}

/// <summary>One entry of the conversation as seen by confirmation checks.</summary>
/// <param name="Role">Who wrote it (<see cref="MessageRole.System"/> for a successful write marker).</param>
/// <param name="Content">The message text.</param>
/// <param name="WriteTool">The write tool that succeeded, for write markers; otherwise <see langword="null"/>.</param>
public sealed record ConversationEntry(MessageRole Role, string Content, string? WriteTool);
