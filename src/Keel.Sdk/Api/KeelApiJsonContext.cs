using System.Text.Json.Serialization;

namespace Keel.Sdk.Api;

/// <summary>Source-generated JSON for the gateway API's bodies: snake_case names, nulls left out of requests.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(ApiRun))]
[JsonSerializable(typeof(RunList))]
[JsonSerializable(typeof(EventList))]
[JsonSerializable(typeof(AppendMessageRequest))]
[JsonSerializable(typeof(AppendMessageResponse))]
[JsonSerializable(typeof(CloseRunRequest))]
[JsonSerializable(typeof(ApiToolCall))]
[JsonSerializable(typeof(ApiToolCallOutcome))]
[JsonSerializable(typeof(ApiToolResultReport))]
[JsonSerializable(typeof(ApiToolResultRecorded))]
[JsonSerializable(typeof(ToolList))]
[JsonSerializable(typeof(ApiApproval))]
[JsonSerializable(typeof(ApprovalList))]
[JsonSerializable(typeof(ApprovalNoteRequest))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(ApiNewKey))]
[JsonSerializable(typeof(KeyList))]
[JsonSerializable(typeof(InterventionRequest))]
[JsonSerializable(typeof(ApiIntervention))]
[JsonSerializable(typeof(ReplyDecisionRequest))]
[JsonSerializable(typeof(OperatorMessageRequest))]
[JsonSerializable(typeof(OperatorMessageResponse))]
[JsonSerializable(typeof(ApiHeldReply))]
[JsonSerializable(typeof(HeldReplyList))]
[JsonSerializable(typeof(ApiDelivery))]
[JsonSerializable(typeof(ApiDeliveryList))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IDictionary<string, System.Text.Json.JsonElement>))]
internal sealed partial class KeelApiJsonContext : JsonSerializerContext;

/// <summary><c>{"status": "healthy"}</c> of <c>/health</c> and <c>/ready</c>.</summary>
/// <param name="Status">The status word.</param>
internal sealed record HealthStatus(string Status);
