namespace Keel.Tools;

/// <summary>One way the arguments of a tool call break the tool's JSON Schema.</summary>
/// <param name="JsonPath">JSONPath of the offending value in the arguments, e.g. <c>$.flights[0].date</c>; <c>$</c> for the whole object.</param>
/// <param name="Kind">Machine-readable kind: <c>malformed_json</c>, <c>unknown_tool</c>, <c>missing_field</c>, <c>extra_field</c>, <c>wrong_type</c>, <c>not_in_enum</c>, <c>invalid</c>.</param>
/// <param name="Message">A sentence the agent and a person can read.</param>
public sealed record SchemaViolation(string JsonPath, string Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{JsonPath}: {Message}";
}
