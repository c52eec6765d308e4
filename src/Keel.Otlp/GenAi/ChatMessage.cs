using System.Text.Json.Nodes;

namespace Keel.Otlp.GenAi;

/// <summary>One message of a model call, in either semantic-convention version: its role, its text, the tool calls it asks for and
/// the tool results it carries.</summary>
internal sealed record ChatMessage(string Role, string Text, IReadOnlyList<ChatToolCall> ToolCalls, IReadOnlyList<ChatToolResponse> Responses);

/// <summary>A tool call a model asked for inside a message (<c>tool_call</c> part, or an OpenAI-style <c>tool_calls</c> entry).</summary>
internal sealed record ChatToolCall(string? Id, string Name, string ArgumentsJson);

/// <summary>A tool result sent back to the model (<c>tool_call_response</c> part, or a <c>tool</c> message).</summary>
internal sealed record ChatToolResponse(string? Id, string Response);

/// <summary>Parses message lists: the current conventions' <c>gen_ai.input.messages</c> / <c>gen_ai.output.messages</c> (role + parts) and
/// the previous ones' <c>gen_ai.prompt</c> / <c>gen_ai.completion</c> (OpenAI-style role + content, or plain text).</summary>
internal static class ChatMessages
{
    public static IReadOnlyList<ChatMessage> Parse(JsonNode? node, string defaultRole)
    {
        switch (node)
        {
            case null:
                return [];
            case JsonValue value when value.TryGetValue<string>(out var text):
                return text.Length == 0 ? [] : [new ChatMessage(defaultRole, text, [], [])];
            case JsonObject single:
                return single["messages"] is JsonArray wrapped ? Parse(wrapped, defaultRole) : [Message(single, defaultRole)];
            case JsonArray array:
                var messages = new List<ChatMessage>(array.Count);
                foreach (var item in array)
                {
                    if (item is JsonObject obj)
                    {
                        messages.Add(Message(obj, defaultRole));
                    }
                    else if (item is JsonValue v && v.TryGetValue<string>(out var line))
                    {
                        messages.Add(new ChatMessage(defaultRole, line, [], []));
                    }
                }

                return messages;
            default:
                return [];
        }
    }

    private static ChatMessage Message(JsonObject obj, string defaultRole)
    {
        var role = Str(obj["role"]) ?? defaultRole;
        var texts = new List<string>();
        var calls = new List<ChatToolCall>();
        var responses = new List<ChatToolResponse>();
        if (obj["parts"] is JsonArray parts)
        {
            // Current conventions (gen-ai-input-messages.json): typed parts.
            foreach (var part in parts.OfType<JsonObject>())
            {
                switch (Str(part["type"]))
                {
                    case "text":
                        if (Str(part["content"]) is { } content)
                        {
                            texts.Add(content);
                        }

                        break;
                    case "tool_call":
                        calls.Add(new ChatToolCall(Str(part["id"]), Str(part["name"]) ?? "unknown", ArgumentsText(part["arguments"])));
                        break;
                    case "tool_call_response":
                        responses.Add(new ChatToolResponse(Str(part["id"]), AsText(part["response"]) ?? string.Empty));
                        break;
                }
            }
        }
        else
        {
            // Previous conventions: OpenAI chat messages (content a string or a list of {type: text, text}).
            switch (obj["content"])
            {
                case JsonValue value when value.TryGetValue<string>(out var content):
                    texts.Add(content);
                    break;
                case JsonArray items:
                    texts.AddRange(items.OfType<JsonObject>().Select(i => Str(i["text"]) ?? Str(i["content"])).OfType<string>());
                    break;
            }

            if (obj["tool_calls"] is JsonArray toolCalls)
            {
                foreach (var call in toolCalls.OfType<JsonObject>())
                {
                    var function = call["function"] as JsonObject ?? call;
                    calls.Add(new ChatToolCall(Str(call["id"]), Str(function["name"]) ?? "unknown", ArgumentsText(function["arguments"])));
                }
            }

            if (role == "tool")
            {
                responses.Add(new ChatToolResponse(Str(obj["tool_call_id"]) ?? Str(obj["id"]), string.Join("\n", texts)));
                texts.Clear();
            }
        }

        return new ChatMessage(role, string.Join("\n", texts), calls, responses);
    }

    /// <summary>Arguments as JSON text: a string holding JSON is kept as sent, a structured value is serialized.</summary>
    public static string ArgumentsText(JsonNode? node) => node switch
    {
        null => "{}",
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    public static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
