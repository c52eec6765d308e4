using System.Text.Json.Serialization;
using Keel.Model;

namespace Keel.Storage;

/// <summary>Source-generated JSON metadata for the stored and wire shapes of runs: events, failures and handoff packets.</summary>
/// <remarks>
/// Use it through <see cref="RunEventJson"/>, whose options add what attributes on the model cannot say: the
/// <c>kind</c> discriminator of <see cref="RunEvent"/> and the removal of computed properties
/// (<see cref="RunEvent.Kind"/>, <see cref="Decision.IsHeldOrDenied"/>, <see cref="ToolResult.IsSuccess"/>).
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true,
    Converters =
    [
        typeof(SnakeCaseEnumConverter<MessageRole>),
        typeof(SnakeCaseEnumConverter<DecisionKind>),
        typeof(SnakeCaseEnumConverter<ToolResultStatus>),
        typeof(SnakeCaseEnumConverter<ToolErrorKind>),
        typeof(SnakeCaseEnumConverter<FindingSeverity>),
        typeof(SnakeCaseEnumConverter<FailureClass>),
        typeof(SnakeCaseEnumConverter<Disposition>),
        typeof(SnakeCaseEnumConverter<RunEventKind>),
        typeof(SnakeCaseEnumConverter<RunStatus>),
        typeof(SnakeCaseEnumConverter<ExecutionOutcome>),
    ])]
[JsonSerializable(typeof(RunEvent))]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(ToolCallEvent))]
[JsonSerializable(typeof(DecisionEvent))]
[JsonSerializable(typeof(ToolResultEvent))]
[JsonSerializable(typeof(ApprovalEvent))]
[JsonSerializable(typeof(InterventionEvent))]
[JsonSerializable(typeof(HandoffEvent))]
[JsonSerializable(typeof(FindingEvent))]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(Failure))]
[JsonSerializable(typeof(HandoffPacket))]
internal sealed partial class KeelJsonContext : JsonSerializerContext;
