using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Keel.Model;

namespace Keel.Storage;

/// <summary>
/// The JSON shape of run events, failures and handoff packets, as stored and sent on the wire: compact, snake_case
/// property names, enums as snake_case strings, and a <c>kind</c> discriminator on every event
/// (<c>message</c>, <c>tool_call</c>, <c>decision</c>, <c>tool_result</c>, <c>approval</c>, <c>intervention</c>,
/// <c>handoff</c>, <c>finding</c>, <c>execution</c>).
/// </summary>
/// <remarks>
/// Round-trips every field, including <see cref="RunEvent.Sequence"/> and <see cref="RunEvent.Timestamp"/> (ticks and
/// offset). Computed properties (<see cref="RunEvent.Kind"/>, <see cref="Decision.IsHeldOrDenied"/>,
/// <see cref="ToolResult.IsSuccess"/>) are not written. Non-ASCII text is written as is, not as <c>\u</c> escapes.
/// Source-generated (no reflection); thread-safe.
/// Example: <c>{"kind":"message","sequence":1,"timestamp":"2024-05-01T10:00:00+00:00","role":"user","content":"hi"}</c>.
/// </remarks>
public static partial class RunEventJson
{
    /// <summary>The discriminator property written first in every event object.</summary>
    public const string KindPropertyName = "kind";

    private static readonly (RunEventKind Kind, Type Type)[] s_eventTypes =
    [
        (RunEventKind.Message, typeof(MessageEvent)),
        (RunEventKind.ToolCall, typeof(ToolCallEvent)),
        (RunEventKind.Decision, typeof(DecisionEvent)),
        (RunEventKind.ToolResult, typeof(ToolResultEvent)),
        (RunEventKind.Approval, typeof(ApprovalEvent)),
        (RunEventKind.Intervention, typeof(InterventionEvent)),
        (RunEventKind.Handoff, typeof(HandoffEvent)),
        (RunEventKind.Finding, typeof(FindingEvent)),
        (RunEventKind.Execution, typeof(ExecutionEvent)),
    ];

    private static readonly JsonSerializerOptions s_options = CreateOptions();
    private static readonly JsonTypeInfo<RunEvent> s_runEvent = (JsonTypeInfo<RunEvent>)s_options.GetTypeInfo(typeof(RunEvent));
    private static readonly JsonTypeInfo<Failure> s_failure = (JsonTypeInfo<Failure>)s_options.GetTypeInfo(typeof(Failure));
    private static readonly JsonTypeInfo<HandoffPacket> s_handoff = (JsonTypeInfo<HandoffPacket>)s_options.GetTypeInfo(typeof(HandoffPacket));
    private static readonly Dictionary<RunEventKind, JsonTypeInfo> s_eventTypeInfos =
        s_eventTypes.ToDictionary(pair => pair.Kind, pair => s_options.GetTypeInfo(pair.Type));

    /// <summary>Read-only serializer options with this shape, for hosts that write these types inside larger documents
    /// (combine its <see cref="JsonSerializerOptions.TypeInfoResolver"/> with their own context).</summary>
    public static JsonSerializerOptions Options => s_options;

    /// <summary>Writes an event as compact JSON with its <c>kind</c> discriminator first.</summary>
    /// <param name="runEvent">The event.</param>
    /// <returns>The JSON object as text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The event is of a type this shape does not know.</exception>
    public static string Serialize(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        return JsonSerializer.Serialize(runEvent, s_runEvent);
    }

    /// <summary>Reads an event of a known kind (for example from a store row whose kind is a column); a <c>kind</c>
    /// property inside <paramref name="json"/> is ignored, so properties may come in any order.</summary>
    /// <param name="kind">The snake_case kind, e.g. <c>tool_call</c>.</param>
    /// <param name="json">The event object as written by <see cref="Serialize(RunEvent)"/>.</param>
    /// <returns>The event, with its sequence number and timestamp.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a known kind.</exception>
    /// <exception cref="JsonException"><paramref name="json"/> is not a valid object of that kind.</exception>
    public static RunEvent Deserialize(string kind, string json)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(json);
        if (!TryParseKind(kind, out var parsed))
        {
            throw new ArgumentException($"'{kind}' is not a run event kind; expected one of {string.Join(", ", s_eventTypes.Select(t => KindName(t.Kind)))}.", nameof(kind));
        }

        return JsonSerializer.Deserialize(json, s_eventTypeInfos[parsed]) as RunEvent
            ?? throw new JsonException($"The {kind} event payload is null.");
    }

    /// <summary>Reads an event whose kind is given by its own <c>kind</c> property (in any position).</summary>
    /// <param name="json">The event object as written by <see cref="Serialize(RunEvent)"/>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not a valid event object, or its kind is missing or unknown.</exception>
    public static RunEvent Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, s_runEvent) ?? throw new JsonException("The event payload is null.");
    }

    /// <summary>Writes a failure as compact JSON.</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>The JSON object as text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="failure"/> is <see langword="null"/>.</exception>
    public static string Serialize(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return JsonSerializer.Serialize(failure, s_failure);
    }

    /// <summary>Reads a failure written by <see cref="Serialize(Failure)"/>.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The failure.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not a valid failure object.</exception>
    public static Failure DeserializeFailure(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, s_failure) ?? throw new JsonException("The failure payload is null.");
    }

    /// <summary>Writes a handoff packet as compact JSON.</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>The JSON object as text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="packet"/> is <see langword="null"/>.</exception>
    public static string Serialize(HandoffPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return JsonSerializer.Serialize(packet, s_handoff);
    }

    /// <summary>Reads a handoff packet written by <see cref="Serialize(HandoffPacket)"/>.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The packet.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not a valid handoff packet (a required property is missing or null).</exception>
    public static HandoffPacket DeserializeHandoffPacket(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, s_handoff) ?? throw new JsonException("The handoff payload is null.");
    }

    /// <summary>The snake_case name of an event kind, e.g. <c>tool_result</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name used as discriminator and in store columns.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static string KindName(RunEventKind kind) => SnakeCaseEnum<RunEventKind>.Name(kind);

    /// <summary>Looks up an event kind by its snake_case name (exact, case-sensitive).</summary>
    /// <param name="name">The name, e.g. <c>tool_result</c>.</param>
    /// <param name="kind">The kind when found.</param>
    /// <returns>Whether the name is a known kind.</returns>
    public static bool TryParseKind(string name, out RunEventKind kind) => SnakeCaseEnum<RunEventKind>.TryParse(name, out kind);

    /// <summary>The snake_case name of any enum value as this shape writes it, e.g. <c>awaiting_approval</c> for
    /// <see cref="RunStatus.AwaitingApproval"/>; stores use it for their columns so SQL and JSON agree.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a defined member.</exception>
    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum => SnakeCaseEnum<TEnum>.Name(value);

    /// <summary>Reads a stored event row back, as every backend does: its kind and stored JSON.</summary>
    /// <param name="sequence">The row's sequence number, for the message.</param>
    /// <param name="kind">The stored kind, e.g. <c>tool_call</c>.</param>
    /// <param name="payloadJson">The stored JSON.</param>
    /// <returns>The event.</returns>
    /// <exception cref="InvalidDataException">The row is not a valid event; the message names its sequence number and kind.</exception>
    public static RunEvent ReadStored(long sequence, string kind, string payloadJson)
    {
        try
        {
            return Deserialize(kind, payloadJson);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"events row seq {sequence} ({kind}) is not a valid event: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a stored enum name back (<see cref="EnumName"/>), as every backend does.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="name">The stored name.</param>
    /// <param name="column">The column, for the message, e.g. <c>runs.status</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidDataException">The name is not a value of <typeparamref name="TEnum"/>.</exception>
    public static TEnum ReadStoredEnum<TEnum>(string name, string column)
        where TEnum : struct, Enum =>
        TryParseEnumName<TEnum>(name, out var value)
            ? value
            : throw new InvalidDataException($"{column} has the value '{name}', which is not a known {typeof(TEnum).Name}.");

    /// <summary>Looks up an enum value by the snake_case name <see cref="EnumName{TEnum}"/> gives it (exact, case-sensitive).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="name">The name, e.g. <c>safe_stop</c>.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseEnumName<TEnum>(string name, out TEnum value)
        where TEnum : struct, Enum => SnakeCaseEnum<TEnum>.TryParse(name, out value);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(KeelJsonContext.Default.Options)
        {
            TypeInfoResolver = KeelJsonContext.Default.WithAddedModifier(Customize),

            // Text stays readable in the store (é, ✈, "quotes" as \"); a page that embeds this JSON in HTML must encode it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }

    private static void Customize(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        // Computed views (a getter with neither setter nor constructor parameter) are not state: do not write them.
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }

        if (!typeof(RunEvent).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            property.Order = property.Name switch
            {
                "sequence" => -2,
                "timestamp" => -1,
                _ => property.Order,
            };
        }

        if (typeInfo.Type == typeof(RunEvent))
        {
            var polymorphism = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = KindPropertyName,
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            };
            foreach (var (kind, type) in s_eventTypes)
            {
                polymorphism.DerivedTypes.Add(new JsonDerivedType(type, KindName(kind)));
            }

            typeInfo.PolymorphismOptions = polymorphism;
        }
    }
}
