using System.Text.Json.Serialization;
using Keel.Approvals;

namespace Keel.Storage.Sqlite.Gateway;

/// <summary>Source-generated JSON for the gateway store's JSON columns (approval stages).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApprovalStage[]))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
