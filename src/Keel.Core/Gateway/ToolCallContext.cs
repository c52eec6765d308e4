using System.Text.Json;
using Keel.Model;
using Keel.Tools;

namespace Keel.Gateway;

/// <summary>One proposed tool call travelling through the pipeline. Stages read it and fill in what they learn.</summary>
public sealed class ToolCallContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="call">The proposed call.</param>
    /// <param name="state">The run's state.</param>
    /// <param name="agent">The agent version that governs the run.</param>
    /// <param name="now">The run's clock at the call (recorded time in replay).</param>
    /// <param name="mode">Enforce or audit.</param>
    /// <param name="recordedResult">In audit mode, what the tool answered in the recording; <see langword="null"/> when it never answered.</param>
    public ToolCallContext(ToolCall call, RunState state, AgentVersion agent, DateTimeOffset now, PipelineMode mode, ToolResult? recordedResult = null)
    {
        Call = call ?? throw new ArgumentNullException(nameof(call));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Agent = agent ?? throw new ArgumentNullException(nameof(agent));
        Now = now;
        Mode = mode;
        RecordedResult = recordedResult;
    }

    /// <summary>The proposed call.</summary>
    public ToolCall Call { get; }

    /// <summary>The run's state.</summary>
    public RunState State { get; }

    /// <summary>The governing agent version.</summary>
    public AgentVersion Agent { get; }

    /// <summary>The run's clock at the call.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Enforce or audit.</summary>
    public PipelineMode Mode { get; }

    /// <summary>The recorded result (audit mode).</summary>
    public ToolResult? RecordedResult { get; }

    /// <summary>The tool's definition, set by the schema stage; <see langword="null"/> for an unknown tool.</summary>
    public ToolDefinition? Tool { get; set; }

    /// <summary>The parsed arguments, set by the record stage when the arguments are a JSON object (default otherwise).</summary>
    public JsonElement Arguments { get; set; }

    /// <summary>The call fingerprint (tool + canonical arguments), set by the record stage.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>How many earlier calls of the run had the same fingerprint, set by the record stage.</summary>
    public int PriorRepeats { get; set; }

    /// <summary>A pending non-stopping decision (require approval / require plan) set by the policy stage for the gates to act on.</summary>
    public Decision? PendingDecision { get; set; }

    /// <summary>The call's approval digest (<see cref="Approvals.ApprovalDigest"/>), set by the approval gate when the call needs approval.</summary>
    public string? ApprovalDigest { get; set; }

    /// <summary>The previewed diff of a call that needs a plan, set by the plan gate in enforce mode.</summary>
    public Plans.PlanPreview? Plan { get; set; }

    /// <summary>Why the preview of a call that needs a plan failed, set by the plan gate; the call stays held.</summary>
    public Plans.PlanPreviewFailure? PlanFailure { get; set; }
}
