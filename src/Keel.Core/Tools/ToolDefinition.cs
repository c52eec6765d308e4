using System.Text.Json;

namespace Keel.Tools;

/// <summary>One tool of an agent version's catalog: its OpenAI function schema plus Keel's annotations.</summary>
public sealed class ToolDefinition
{
    internal ToolDefinition(string name, string description, ToolType type, bool idempotent, JsonElement parameters, string schemaVersion, ToolSchemaValidator validator, OutputTrust? outputTrust = null, string? previewTool = null, TimeSpan? timeout = null)
    {
        PreviewTool = previewTool;
        Timeout = timeout;
        OutputTrust = outputTrust ?? OutputTrust.Trusted;
        Name = name;
        Description = description;
        Type = type;
        IsIdempotent = idempotent;
        Parameters = parameters;
        SchemaVersion = schemaVersion;
        Validator = validator;
        ParameterNames = parameters.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object
            ? [.. props.EnumerateObject().Select(p => p.Name)]
            : [];
    }

    /// <summary>The tool name, e.g. <c>cancel_reservation</c>.</summary>
    public string Name { get; }

    /// <summary>The description shown to the model.</summary>
    public string Description { get; }

    /// <summary>Read, write or generic (<c>x-tool-type</c>).</summary>
    public ToolType Type { get; }

    /// <summary>Whether repeating the call has the same effect as making it once (<c>x-idempotent</c>); only idempotent tools are ever retried. The default is <see langword="true"/> for read tools and <see langword="false"/> otherwise.</summary>
    public bool IsIdempotent { get; }

    /// <summary>Whether third parties can write the tool's output, or which fields of it (<c>x-untrusted-output</c>); the default is trusted.</summary>
    public OutputTrust OutputTrust { get; }

    /// <summary>The tool that previews a call of this one without applying it (<c>x-preview</c>), e.g. <c>preview_cancel_reservation</c>;
    /// <see langword="null"/> (the default) for none. The preview tool takes the same arguments and answers
    /// <c>{"before": …, "after": …}</c> (docs/plans.md); it need not be in the catalog, since the gateway calls it, not the agent.</summary>
    public string? PreviewTool { get; }

    /// <summary>How long one attempt of a call may take in enforce mode (<c>x-timeout-ms</c>), replacing the agent's
    /// <see cref="Execution.ExecutionOptions.AttemptTimeout"/> for this tool; <see langword="null"/> when the tool declares none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public TimeSpan? Timeout { get; }

    /// <summary>The JSON Schema of the arguments (the function's <c>parameters</c>).</summary>
    public JsonElement Parameters { get; }

    /// <summary>Names of the declared parameters, in schema order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the canonical schema; changes whenever the schema changes.</summary>
    public string SchemaVersion { get; }

    /// <summary>Validates arguments against <see cref="Parameters"/>.</summary>
    public ToolSchemaValidator Validator { get; }
}
