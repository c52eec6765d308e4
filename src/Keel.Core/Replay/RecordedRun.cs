using System.Text.Json;

namespace Keel.Replay;

/// <summary>A run as recorded by some agent framework, converted by an importer into Keel's neutral shape for replay.</summary>
public sealed record RecordedRun
{
    /// <summary>Stable id, unique across the imported files, e.g. <c>tau-airline-t12-r3</c> or a tau2 simulation id.</summary>
    public required string Id { get; init; }

    /// <summary>Where the run came from: file path and record index.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>Domain or workflow class, e.g. <c>airline</c>, <c>retail</c>, <c>telecom</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>The model that played the agent, when recorded.</summary>
    public string? AgentModel { get; init; }

    /// <summary>The run's clock at its start: the domain time stated in the system prompt or policy when present, otherwise the first recorded timestamp.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The recorded steps in order.</summary>
    public required IReadOnlyList<RecordedStep> Steps { get; init; }

    /// <summary>Ground-truth labels, when the source has them.</summary>
    public RunLabels Labels { get; init; } = RunLabels.None;

    /// <summary>The tools offered to the agent in this run when the source defines them per run (BFCL items each bring their own
    /// functions); <see langword="null"/> means the replaying agent version's catalog. <see cref="ReplayEngine"/> governs the run with it.</summary>
    public Tools.ToolCatalog? Tools { get; init; }
}

/// <summary>Where a record came from.</summary>
/// <param name="File">The input file path as given.</param>
/// <param name="Index">0-based index of the run in that file.</param>
public sealed record RecordSource(string File, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"{File} record {Index}";
}

/// <summary>One recorded step: a message or a tool call with its recorded result.</summary>
public abstract record RecordedStep
{
    /// <summary>Model usage of the agent turn this step starts, when the recording has it (tau2-bench assistant messages); <see langword="null"/> otherwise.</summary>
    public ModelUsage? Usage { get; init; }
}

/// <summary>Model usage of one agent turn.</summary>
/// <param name="Tokens">Prompt + completion tokens.</param>
/// <param name="CostUsd">Cost in USD as recorded.</param>
public sealed record ModelUsage(long Tokens, decimal CostUsd);

/// <summary>A recorded message.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Content">The text (empty when the message only carried tool calls).</param>
/// <param name="Timestamp">When it was recorded, if the source has timestamps.</param>
public sealed record RecordedMessage(Model.MessageRole Role, string Content, DateTimeOffset? Timestamp = null) : RecordedStep;

/// <summary>A recorded tool call and what the tool answered.</summary>
/// <param name="Call">The call as proposed (arguments as JSON text).</param>
/// <param name="Result">The recorded result; <see langword="null"/> when the recording has no answer for this call.</param>
/// <param name="Requestor"><c>assistant</c> for agent calls, <c>user</c> for customer-side calls (tau2 telecom), which Keel records but does not govern.</param>
/// <param name="Timestamp">When it was recorded, if the source has timestamps.</param>
public sealed record RecordedToolCall(Model.ToolCall Call, Model.ToolResult? Result, string Requestor = "assistant", DateTimeOffset? Timestamp = null) : RecordedStep;

/// <summary>Ground truth attached to a recorded run.</summary>
/// <param name="Reward">The benchmark's 0/1 reward, or <see langword="null"/> when unlabelled.</param>
/// <param name="ExpectedActions">The task's expected tool calls, or <see langword="null"/> when unknown. Never shown to policies.</param>
/// <param name="TerminationReason">Why the recording ended, e.g. <c>user_stop</c>, <c>max_steps</c>.</param>
/// <param name="TaskId">The benchmark task id.</param>
public sealed record RunLabels(double? Reward, IReadOnlyList<ExpectedAction>? ExpectedActions, string? TerminationReason = null, string? TaskId = null)
{
    /// <summary>Prompt-injection labels (AgentDojo); <see langword="null"/> when the source has none.</summary>
    public AttackLabels? Attack { get; init; }

    /// <summary>No labels.</summary>
    public static RunLabels None { get; } = new(null, null);

    /// <summary>Whether the agent's tool calls in this run were judged well-formed and correct (BFCL's checker verdict);
    /// <see langword="null"/> when unlabelled. Never shown to policies or monitors.</summary>
    public CallLabel? Calls { get; init; }
}

/// <summary>An expected tool call of a task.</summary>
/// <param name="ToolName">The tool.</param>
/// <param name="Arguments">The expected arguments (a JSON object).</param>
/// <param name="Requestor"><c>assistant</c> or <c>user</c>.</param>
public sealed record ExpectedAction(string ToolName, JsonElement Arguments, string Requestor = "assistant");
