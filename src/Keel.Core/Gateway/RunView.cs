using System.Diagnostics.CodeAnalysis;

namespace Keel.Gateway;

/// <summary>The <c>run</c> variable of policy expressions, read live from a <see cref="RunState"/>.</summary>
/// <remarks>Keys: <c>tool_calls</c>, <c>steps</c>, <c>writes</c>, <c>tokens</c> (int), <c>cost_usd</c> (double, USD), <c>user_messages</c> (list of strings, oldest first), <c>last_user_message</c>, <c>last_assistant_message</c> (strings), <c>tools_called</c> (list of tool names in order).</remarks>
internal sealed class RunView(RunState state) : IReadOnlyDictionary<string, object?>
{
    private static readonly string[] KeyNames = ["tool_calls", "steps", "writes", "tokens", "cost_usd", "user_messages", "last_user_message", "last_assistant_message", "tools_called"];

    public IEnumerable<string> Keys => KeyNames;

    public IEnumerable<object?> Values => KeyNames.Select(k => this[k]);

    public int Count => KeyNames.Length;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => Array.IndexOf(KeyNames, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        value = key switch
        {
            "tool_calls" => (long)state.ToolCalls,
            "steps" => (long)state.Steps,
            "writes" => (long)state.Writes,
            "tokens" => state.Tokens,
            "cost_usd" => (double)state.CostUsd,
            "user_messages" => state.UserMessages.Cast<object?>().ToList(),
            "last_user_message" => state.LastUserMessage,
            "last_assistant_message" => state.LastAssistantMessage,
            "tools_called" => state.ToolsCalled.Cast<object?>().ToList(),
            _ => null,
        };
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => KeyNames.Select(k => new KeyValuePair<string, object?>(k, this[k])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
