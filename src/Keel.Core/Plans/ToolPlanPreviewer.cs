using System.Text.Json;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Plans;

/// <summary>
/// Previews a call by running the preview tool its tool declares (<c>x-preview</c> in <c>tools.json</c>) through an
/// <see cref="IToolExecutor"/> with the same arguments, and diffing the <c>{"before": …, "after": …}</c> object it answers.
/// </summary>
/// <remarks>
/// <para>The preview call is derived from the proposed one: tool name = the preview tool, id = the call's id +
/// <see cref="CallIdSuffix"/>, arguments unchanged (the preview tool takes the write's schema). Its context has the same
/// run, agent version, clock and mode, no <see cref="ToolCallContext.Tool"/> (preview tools need not be in the agent's catalog:
/// the gateway calls them, not the agent) and no recorded result — so in audit mode, with
/// <see cref="RecordedToolExecutor"/>, every preview is <see cref="PlanPreviewFailureKind.NotExecuted"/>. The preview call is
/// not recorded in the run and passes no pipeline stage: the executor is called directly.</para>
/// <para>The contract of a preview tool (docs/plans.md): it never changes state; it answers a JSON object whose
/// <c>before</c> is the records the write touches as they are now and whose <c>after</c> is the same records as the write
/// would leave them; if the write would fail, it answers the write's error as a tool error. Thread-safe when the executor is.</para>
/// </remarks>
/// <param name="executor">Calls the preview tool (in enforce mode, the same executor that calls the tools).</param>
public sealed class ToolPlanPreviewer(IToolExecutor executor) : IPlanPreviewer
{
    /// <summary>Appended to the proposed call's id to make the preview call's id: <c>:preview</c>.</summary>
    public const string CallIdSuffix = ":preview";

    private static readonly string[] _stateFields = ["before", "after"];

    private readonly IToolExecutor _executor = executor ?? throw new ArgumentNullException(nameof(executor));

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public async ValueTask<PlanPreviewResult> PreviewAsync(ToolCallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Call.ToolName;
        var tool = context.Tool ?? (context.Agent.Tools.TryGet(name, out var known) ? known : null);
        if (tool?.PreviewTool is not { } previewTool)
        {
            var why = tool is null
                ? $"tool '{name}' is not in agent {context.Agent.AgentName} {context.Agent.Version}'s catalog, so it has no preview"
                : $"tool '{name}' declares no preview: add \"x-preview\": \"<preview tool>\" to its entry in tools.json";
            return Fail(PlanPreviewFailureKind.NoPreview, name, null, why);
        }

        var call = context.Call with { Id = context.Call.Id + CallIdSuffix, ToolName = previewTool };
        var preview = new ToolCallContext(call, context.State, context.Agent, context.Now, context.Mode)
        {
            Arguments = context.Arguments.ValueKind == JsonValueKind.Object ? context.Arguments
                : call.TryParseArguments(out var parsed, out _) ? parsed : default,
        };
        var result = await _executor.ExecuteAsync(preview, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            ToolResultStatus.NotExecuted => Fail(PlanPreviewFailureKind.NotExecuted, name, previewTool, $"the preview tool '{previewTool}' did not run: {result.Output}", result.Output),
            ToolResultStatus.Error => Fail(PlanPreviewFailureKind.ToolError, name, previewTool, $"the preview tool '{previewTool}' answered an error: {result.Output}", result.Output),
            _ => Read(name, previewTool, result.Output),
        };
    }

    /// <summary>Reads a preview tool's answer: a JSON object with <c>before</c> and <c>after</c>.</summary>
    private static PlanPreviewResult Read(string tool, string previewTool, string output)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException ex)
        {
            return Malformed(tool, previewTool, output, $"is not JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Malformed(tool, previewTool, output, $"is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            var missing = _stateFields.Where(field => !root.TryGetProperty(field, out _)).ToList();
            if (missing.Count > 0)
            {
                return Malformed(tool, previewTool, output, $"has no {string.Join(" and no ", missing.Select(f => $"\"{f}\""))} field");
            }

            return PlanPreviewResult.Success(PlanPreview.Create(tool, previewTool, root.GetProperty("before"), root.GetProperty("after")));
        }
    }

    private static PlanPreviewResult Malformed(string tool, string previewTool, string output, string what) =>
        Fail(PlanPreviewFailureKind.MalformedOutput, tool, previewTool,
            $"the answer of the preview tool '{previewTool}' {what}: a preview answers {{\"before\": <records now>, \"after\": <records after the write>}}", output);

    private static PlanPreviewResult Fail(PlanPreviewFailureKind kind, string tool, string? previewTool, string message, string? output = null) =>
        PlanPreviewResult.Failed(new PlanPreviewFailure(kind, tool, previewTool, message, output));
}
