using Keel.Diagnostics;
using Keel.Model;
using Keel.Replay;
using OpenTelemetry.Proto.Trace.V1;
using static Keel.Otlp.GenAi.SpanAttributes;

namespace Keel.Otlp.GenAi;

/// <summary>Builds a recorded run from the spans of one trace following the OpenTelemetry GenAI semantic conventions
/// (gen-ai-spans.md, gen-ai-agent-spans.md): <c>invoke_agent</c> names the agent, <c>chat</c> spans give the messages
/// (<c>gen_ai.input.messages</c> / <c>gen_ai.output.messages</c>, or the previous <c>gen_ai.prompt</c> / <c>gen_ai.completion</c> as
/// attributes or <c>gen_ai.content.*</c> events) and the token usage, <c>execute_tool</c> spans the tool calls with their results
/// (<c>gen_ai.tool.call.result</c>, or the span's error status). Pure code; thread-safe.</summary>
/// <remarks>A model call's input repeats the conversation so far: only the messages after its last assistant message are new (the
/// first call's are all new). Tool calls the model asked for that have no <c>execute_tool</c> span are taken from the output
/// messages, with the result a later input message carried.</remarks>
public static class GenAiTraceBuilder
{
    /// <summary>The agent name of a trace that names none. Value: <c>otlp-agent</c>.</summary>
    public const string UnknownAgent = "otlp-agent";

    /// <summary>The prefix of run ids built from traces: <c>otlp-</c> then the 32 hex digits of the trace id.</summary>
    public const string RunIdPrefix = "otlp-";

    /// <summary>Builds the run of a trace.</summary>
    /// <param name="traceId">The trace id, 32 lower-case hex digits.</param>
    /// <param name="spans">The trace's spans, in any order.</param>
    /// <returns>The run, or <see langword="null"/> when no span is a GenAI span (no <c>gen_ai.operation.name</c> of
    /// <c>invoke_agent</c>, <c>chat</c> or <c>execute_tool</c>, nor a span name starting with one).</returns>
    public static GenAiTrace? Build(string traceId, IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var ordered = spans.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.EndTimeUnixNano).ToList();
        Span? agentSpan = null;
        var chats = new List<Span>();
        var tools = new List<Span>();
        foreach (var span in ordered)
        {
            switch (Operation(span))
            {
                case GenAiAttributes.InvokeAgent:
                    agentSpan ??= span;
                    break;
                case GenAiAttributes.Chat:
                    chats.Add(span);
                    break;
                case GenAiAttributes.ExecuteTool:
                    tools.Add(span);
                    break;
            }
        }

        if (agentSpan is null && chats.Count == 0 && tools.Count == 0)
        {
            return null;
        }

        var steps = new List<(DateTimeOffset At, RecordedStep Step)>();
        var usages = new List<(DateTimeOffset At, long Tokens)>();
        var executedIds = tools.Select(t => AttrText(t.Attributes, GenAiAttributes.ToolCallId)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var askedCalls = new List<(DateTimeOffset At, ChatToolCall Call)>();
        var responses = new Dictionary<string, string>(StringComparer.Ordinal);
        var systemSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chat in chats)
        {
            var (input, output) = ChatContent(chat);
            var start = Time(chat.StartTimeUnixNano);
            var end = Time(chat.EndTimeUnixNano);
            var lastAssistant = input.ToList().FindLastIndex(m => m.Role == "assistant");
            foreach (var message in input.Skip(lastAssistant + 1))
            {
                foreach (var response in message.Responses.Where(r => r.Id is not null))
                {
                    responses[response.Id!] = response.Response;
                }

                if (Role(message.Role) is { } role && message.Text.Length > 0 && (role != MessageRole.System || systemSeen.Add(message.Text)))
                {
                    steps.Add((start, new RecordedMessage(role, message.Text, start)));
                }
            }

            foreach (var message in output)
            {
                if (message.Text.Length > 0)
                {
                    steps.Add((end, new RecordedMessage(MessageRole.Assistant, message.Text, end)));
                }

                askedCalls.AddRange(message.ToolCalls.Where(c => c.Id is null || !executedIds.Contains(c.Id)).Select(c => (end, c)));
            }

            var tokens = (AttrInteger(chat.Attributes, GenAiAttributes.UsageInputTokens) ?? AttrInteger(chat.Attributes, GenAiAttributes.UsagePromptTokens) ?? 0)
                + (AttrInteger(chat.Attributes, GenAiAttributes.UsageOutputTokens) ?? AttrInteger(chat.Attributes, GenAiAttributes.UsageCompletionTokens) ?? 0);
            if (tokens > 0)
            {
                usages.Add((end, tokens));
            }
        }

        foreach (var tool in tools)
        {
            steps.Add((Time(tool.StartTimeUnixNano), ToolStep(tool)));
        }

        foreach (var (at, call) in askedCalls)
        {
            var id = call.Id ?? $"call_{steps.Count}";
            var result = call.Id is not null && responses.TryGetValue(call.Id, out var text) ? new ToolResult(id, ToolResultStatus.Ok, text) : null;
            steps.Add((at, new RecordedToolCall(new ToolCall(id, call.Name, call.ArgumentsJson), result, "assistant", at)));
        }

        var sorted = steps.Select((s, i) => (s.At, s.Step, i)).OrderBy(s => s.At).ThenBy(s => s.i).Select(s => (s.At, s.Step)).ToList();
        var root = agentSpan ?? ordered.FirstOrDefault(s => s.ParentSpanId.IsEmpty) ?? ordered[0];
        var run = new RecordedRun
        {
            Id = RunIdPrefix + traceId,
            Source = new RecordSource("otlp:" + traceId, 0),
            AgentModel = chats.Select(c => AttrText(c.Attributes, GenAiAttributes.RequestModel)).FirstOrDefault(m => m is not null),
            StartedAt = Time(root.StartTimeUnixNano),
            Steps = AttachUsage(sorted, usages),
        };
        var toolNames = sorted.Select(s => s.Step).OfType<RecordedToolCall>().Select(c => c.Call.ToolName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new GenAiTrace(run, AgentName(agentSpan, ordered), agentSpan is null ? null : AttrText(agentSpan.Attributes, GenAiAttributes.AgentVersion), toolNames);
    }

    /// <summary>The span's GenAI operation: <c>gen_ai.operation.name</c>, else the first word of its name (<c>chat gpt-4o</c>).</summary>
    /// <param name="span">The span.</param>
    /// <returns><c>invoke_agent</c>, <c>chat</c>, <c>execute_tool</c>, another operation, or <see langword="null"/>.</returns>
    public static string? Operation(Span span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (AttrText(span.Attributes, GenAiAttributes.OperationName) is { } operation)
        {
            // text_completion and generate_content are model calls too (gen-ai-spans.md "Inference").
            return operation is "text_completion" or "generate_content" ? GenAiAttributes.Chat : operation;
        }

        var space = span.Name.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? span.Name : span.Name[..space];
        return first is GenAiAttributes.InvokeAgent or GenAiAttributes.Chat or GenAiAttributes.ExecuteTool ? first : null;
    }

    private static (IReadOnlyList<ChatMessage> Input, IReadOnlyList<ChatMessage> Output) ChatContent(Span chat)
    {
        var input = ChatMessages.Parse(AttrJson(chat.Attributes, GenAiAttributes.InputMessages), "user");
        var output = ChatMessages.Parse(AttrJson(chat.Attributes, GenAiAttributes.OutputMessages), "assistant");
        if (input.Count == 0 && output.Count == 0)
        {
            // Previous conventions: the attributes on the span, or on gen_ai.content.prompt / gen_ai.content.completion events.
            input = ChatMessages.Parse(AttrJson(chat.Attributes, GenAiAttributes.Prompt) ?? EventJson(chat, GenAiAttributes.ContentPromptEvent, GenAiAttributes.Prompt), "user");
            output = ChatMessages.Parse(AttrJson(chat.Attributes, GenAiAttributes.Completion) ?? EventJson(chat, GenAiAttributes.ContentCompletionEvent, GenAiAttributes.Completion), "assistant");
        }

        if (AttrJson(chat.Attributes, GenAiAttributes.SystemInstructions) is { } system)
        {
            var text = string.Join("\n", ChatMessages.Parse(system is System.Text.Json.Nodes.JsonArray parts ? new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["role"] = "system", ["parts"] = parts.DeepClone() }) : system, "system").Select(m => m.Text));
            input = [new ChatMessage("system", text, [], []), .. input];
        }

        return (input, output);
    }

    private static System.Text.Json.Nodes.JsonNode? EventJson(Span span, string eventName, string attribute) =>
        span.Events.FirstOrDefault(e => e.Name == eventName) is { } e ? AttrJson(e.Attributes, attribute) : null;

    private static RecordedToolCall ToolStep(Span tool)
    {
        var at = Time(tool.StartTimeUnixNano);
        var id = AttrText(tool.Attributes, GenAiAttributes.ToolCallId) ?? Convert.ToHexStringLower(tool.SpanId.Span);
        var name = AttrText(tool.Attributes, GenAiAttributes.ToolName) ?? (tool.Name.StartsWith("execute_tool ", StringComparison.Ordinal) ? tool.Name["execute_tool ".Length..] : "unknown");
        var arguments = ChatMessages.ArgumentsText(AttrJson(tool.Attributes, GenAiAttributes.ToolCallArguments));
        var output = ChatMessages.AsText(AttrJson(tool.Attributes, GenAiAttributes.ToolCallResult));
        var latency = (tool.EndTimeUnixNano - tool.StartTimeUnixNano) / 1e6;
        ToolResult? result = tool.Status?.Code == Status.Types.StatusCode.Error
            ? new ToolResult(id, ToolResultStatus.Error, output ?? NonEmpty(tool.Status.Message) ?? AttrText(tool.Attributes, GenAiAttributes.ErrorType) ?? "error", latency)
            : output is not null ? new ToolResult(id, ToolResultStatus.Ok, output, latency) : null;
        return new RecordedToolCall(new ToolCall(id, name, arguments), result, "assistant", at);
    }

    private static List<RecordedStep> AttachUsage(List<(DateTimeOffset At, RecordedStep Step)> steps, List<(DateTimeOffset At, long Tokens)> usages)
    {
        var tokens = new long[steps.Count];
        foreach (var (at, count) in usages)
        {
            var index = steps.FindIndex(s => s.At >= at);
            if (steps.Count > 0)
            {
                tokens[index < 0 ? steps.Count - 1 : index] += count;
            }
        }

        return [.. steps.Select((s, i) => tokens[i] > 0 ? s.Step with { Usage = new ModelUsage(tokens[i], 0m) } : s.Step)];
    }

    private static string AgentName(Span? agentSpan, List<Span> spans)
    {
        if (agentSpan is not null)
        {
            if (AttrText(agentSpan.Attributes, GenAiAttributes.AgentName) is { Length: > 0 } name)
            {
                return name;
            }

            if (agentSpan.Name.StartsWith("invoke_agent ", StringComparison.Ordinal))
            {
                return agentSpan.Name["invoke_agent ".Length..].Trim();
            }
        }

        return spans.Select(s => AttrText(s.Attributes, GenAiAttributes.AgentName)).FirstOrDefault(n => !string.IsNullOrEmpty(n))
            ?? spans.Select(s => AttrText(s.Attributes, OtlpSpanBatch.ServiceName)).FirstOrDefault(n => !string.IsNullOrEmpty(n))
            ?? UnknownAgent;
    }

    private static MessageRole? Role(string role) => role switch
    {
        "user" => MessageRole.User,
        "assistant" => MessageRole.Assistant,
        "system" or "developer" => MessageRole.System,
        _ => null,
    };

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static DateTimeOffset Time(ulong unixNano) => DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((long)(unixNano / 100));
}
