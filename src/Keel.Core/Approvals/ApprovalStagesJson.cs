using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Approvals;

/// <summary>The stored form of an approval's stages, the same for every backend: a JSON array of
/// <c>{"by", "approved", "note", "at"}</c> objects (snake_case), oldest first.</summary>
public static class ApprovalStagesJson
{
    /// <summary>Writes the stages.</summary>
    /// <param name="stages">The stages, oldest first.</param>
    /// <returns>The JSON array.</returns>
    public static string Write(IEnumerable<ApprovalStage> stages) => JsonSerializer.Serialize([.. stages], ApprovalJsonContext.Default.ApprovalStageArray);

    /// <summary>Reads stages written by <see cref="Write"/>.</summary>
    /// <param name="json">The JSON array.</param>
    /// <returns>The stages, oldest first.</returns>
    /// <exception cref="JsonException">The text is not such an array.</exception>
    public static ApprovalStage[] Read(string json) => JsonSerializer.Deserialize(json, ApprovalJsonContext.Default.ApprovalStageArray) ?? [];
}

/// <summary>Source-generated JSON for <see cref="ApprovalStagesJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApprovalStage[]))]
internal sealed partial class ApprovalJsonContext : JsonSerializerContext;
