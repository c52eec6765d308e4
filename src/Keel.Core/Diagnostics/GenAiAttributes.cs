namespace Keel.Diagnostics;

/// <summary>Names and well-known values of the OpenTelemetry GenAI semantic conventions Keel emits (status Development;
/// <c>docs/gen-ai/gen-ai-spans.md</c> and <c>gen-ai-agent-spans.md</c> of open-telemetry/semantic-conventions, the registry of
/// open-telemetry/semantic-conventions-genai for <c>gen_ai.agent.version</c>; docs/telemetry.md lists the version followed).</summary>
public static class GenAiAttributes
{
    /// <summary><c>gen_ai.operation.name</c>: the operation, <see cref="ExecuteTool"/> or <see cref="InvokeAgent"/> (Required).</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary><c>gen_ai.tool.name</c>: the tool the agent called, e.g. <c>cancel_reservation</c>.</summary>
    public const string ToolName = "gen_ai.tool.name";

    /// <summary><c>gen_ai.tool.call.id</c>: the call id the model assigned, e.g. <c>call_mszuSIzqtI65i1wAUOE8w5H4</c>.</summary>
    public const string ToolCallId = "gen_ai.tool.call.id";

    /// <summary><c>gen_ai.tool.type</c>: <c>function</c>, <c>extension</c> or <c>datastore</c>.</summary>
    public const string ToolType = "gen_ai.tool.type";

    /// <summary><c>gen_ai.tool.description</c>: the description shown to the model.</summary>
    public const string ToolDescription = "gen_ai.tool.description";

    /// <summary><c>gen_ai.tool.call.arguments</c> (Opt-In, sensitive): the arguments as the agent sent them, a JSON string.</summary>
    public const string ToolCallArguments = "gen_ai.tool.call.arguments";

    /// <summary><c>gen_ai.tool.call.result</c> (Opt-In, sensitive): the tool's output when the call succeeded.</summary>
    public const string ToolCallResult = "gen_ai.tool.call.result";

    /// <summary><c>gen_ai.agent.name</c>: the agent's name, e.g. <c>tau-airline</c>.</summary>
    public const string AgentName = "gen_ai.agent.name";

    /// <summary><c>gen_ai.agent.id</c>: the agent's unique id; Keel uses <c>{workspace}/{agent name}</c>.</summary>
    public const string AgentId = "gen_ai.agent.id";

    /// <summary><c>gen_ai.agent.version</c>: the agent version, e.g. <c>1.0.0</c>.</summary>
    public const string AgentVersion = "gen_ai.agent.version";

    /// <summary><c>gen_ai.conversation.id</c>: the conversation (session, thread); Keel uses the run id.</summary>
    public const string ConversationId = "gen_ai.conversation.id";

    /// <summary><c>gen_ai.request.model</c>: the model the agent version names, e.g. <c>gpt-4o</c>.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary><c>error.type</c> (stable, general conventions): a low-cardinality class of the error the operation ended with.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The <see cref="OperationName"/> of a tool execution span.</summary>
    public const string ExecuteTool = "execute_tool";

    /// <summary>The <see cref="OperationName"/> of an agent invocation span.</summary>
    public const string InvokeAgent = "invoke_agent";

    /// <summary>The <see cref="ToolType"/> of every Keel tool: an OpenAI-style function whose arguments the model generates and whose logic the application runs.</summary>
    public const string FunctionToolType = "function";

    /// <summary>The <see cref="OperationName"/> of a model call span (<c>chat {model}</c>).</summary>
    public const string Chat = "chat";

    /// <summary><c>gen_ai.input.messages</c> (Opt-In, sensitive): the messages sent to the model, a JSON array of
    /// <c>{"role", "parts": [{"type": "text", "content"} | {"type": "tool_call", "id", "name", "arguments"} |
    /// {"type": "tool_call_response", "id", "response"}]}</c> (docs/gen-ai/gen-ai-input-messages.json).</summary>
    public const string InputMessages = "gen_ai.input.messages";

    /// <summary><c>gen_ai.output.messages</c> (Opt-In, sensitive): the model's answer, a JSON array of messages shaped like
    /// <see cref="InputMessages"/> with a <c>finish_reason</c> (docs/gen-ai/gen-ai-output-messages.json).</summary>
    public const string OutputMessages = "gen_ai.output.messages";

    /// <summary><c>gen_ai.system_instructions</c> (Opt-In): the system prompt when it is sent apart from the messages, a JSON array of parts.</summary>
    public const string SystemInstructions = "gen_ai.system_instructions";

    /// <summary><c>gen_ai.usage.input_tokens</c>: tokens of the prompt, an integer.</summary>
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary><c>gen_ai.usage.output_tokens</c>: tokens of the completion, an integer.</summary>
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary><c>gen_ai.prompt</c> (semantic conventions up to v1.27, deprecated): the prompt, on the span or on a
    /// <see cref="ContentPromptEvent"/>; a JSON array of <c>{"role", "content"}</c> or plain text.</summary>
    public const string Prompt = "gen_ai.prompt";

    /// <summary><c>gen_ai.completion</c> (semantic conventions up to v1.27, deprecated): the completion, like <see cref="Prompt"/>.</summary>
    public const string Completion = "gen_ai.completion";

    /// <summary>The span event <c>gen_ai.content.prompt</c> (v1.26–v1.27) that carries <see cref="Prompt"/>.</summary>
    public const string ContentPromptEvent = "gen_ai.content.prompt";

    /// <summary>The span event <c>gen_ai.content.completion</c> (v1.26–v1.27) that carries <see cref="Completion"/>.</summary>
    public const string ContentCompletionEvent = "gen_ai.content.completion";

    /// <summary><c>gen_ai.usage.prompt_tokens</c> (up to v1.27, renamed <see cref="UsageInputTokens"/>).</summary>
    public const string UsagePromptTokens = "gen_ai.usage.prompt_tokens";

    /// <summary><c>gen_ai.usage.completion_tokens</c> (up to v1.27, renamed <see cref="UsageOutputTokens"/>).</summary>
    public const string UsageCompletionTokens = "gen_ai.usage.completion_tokens";
}
