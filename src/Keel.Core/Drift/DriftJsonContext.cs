using System.Text.Json.Serialization;

namespace Keel.Drift;

/// <summary>Source-generated JSON for the drift report (<c>keel drift --out</c>) and split trials: snake_case, indented, verdicts as
/// snake_case strings.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DriftReport))]
[JsonSerializable(typeof(SplitTrials))]
[JsonSerializable(typeof(DriftAlertMessage))]
public sealed partial class DriftJsonContext : JsonSerializerContext;
