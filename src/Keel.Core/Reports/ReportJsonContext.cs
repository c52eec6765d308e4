using System.Text.Json.Serialization;

namespace Keel.Reports;

/// <summary>Source-generated JSON for <c>report.json</c>: snake_case names, indented, nulls written (a null share means "no labels").</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ReplayReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
