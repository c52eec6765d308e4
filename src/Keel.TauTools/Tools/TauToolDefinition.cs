using System.Text.Json;

namespace Keel.TauTools.Tools;

/// <summary>One tool as the domain's <c>tools.json</c> declares it: the OpenAI function schema tau-bench gives its agents.</summary>
/// <param name="Name">The tool name, e.g. <c>book_reservation</c>.</param>
/// <param name="Description">The description the agent reads.</param>
/// <param name="Parameters">The JSON Schema of the arguments (<c>type: object</c>, <c>properties</c>, <c>required</c>).</param>
/// <param name="Kind">Read, write or generic (<c>x-tool-type</c>).</param>
/// <param name="Idempotent">Whether a repeat of the same call is harmless (<c>x-idempotent</c>; false when absent).</param>
public sealed record TauToolDefinition(string Name, string Description, JsonElement Parameters, ToolKind Kind, bool Idempotent);
