using System.Text.Json.Serialization;

namespace Keel.Evals;

/// <summary>Source-generated JSON for suite files and eval reports: snake_case names, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(EvalSuite))]
[JsonSerializable(typeof(EvalReport))]
public sealed partial class EvalJsonContext : JsonSerializerContext;

/// <summary>The JSON of suite files and eval reports as people read them.</summary>
public static class EvalJson
{
    /// <summary><see cref="EvalJsonContext"/> with relaxed escaping: quotes and non-ASCII letters stay as they are (the output is
    /// never embedded in HTML; the HTML report encodes its own text).</summary>
    public static EvalJsonContext Context { get; } = new(new System.Text.Json.JsonSerializerOptions(EvalJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
