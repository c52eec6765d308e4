using System.Text.Json.Serialization;
using Keel.Approvals;

namespace Keel.Storage.Postgres.Gateway;

/// <summary>Source-generated JSON for the gateway store's JSON columns (approval stages), the same shape as the SQLite store's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApprovalStage[]))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
