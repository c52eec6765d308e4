using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Keel.Model;
using Keel.Redaction;

namespace Keel.Storage;

/// <summary>The same JSON shape, written with every string value passed through a <see cref="Redactor"/>: what the stores
/// write, so the raw value of a secret or of personal data never reaches disk.</summary>
public static partial class RunEventJson
{
    private static readonly ConditionalWeakTable<Redactor, RedactedShape> s_redacted = [];

    /// <summary>Writes an event as <see cref="Serialize(RunEvent)"/> does, with every string value (message content, tool
    /// arguments and output, reasons, notes, handoff text) redacted by <paramref name="redactor"/>; property names, the
    /// <c>kind</c>, enum values, numbers and times are written as they are.</summary>
    /// <param name="runEvent">The event.</param>
    /// <param name="redactor">The redactor; <see langword="null"/> writes the event unredacted.</param>
    /// <returns>The JSON object as text; it reads back with <see cref="Deserialize(string, string)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The event is of a type this shape does not know.</exception>
    public static string Serialize(RunEvent runEvent, Redactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        return redactor is null ? Serialize(runEvent) : JsonSerializer.Serialize(runEvent, Shape(redactor).RunEvent);
    }

    /// <summary>Writes a handoff packet as <see cref="Serialize(HandoffPacket)"/> does, with every string redacted.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="redactor">The redactor; <see langword="null"/> writes the packet unredacted.</param>
    /// <returns>The JSON object as text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="packet"/> is <see langword="null"/>.</exception>
    public static string Serialize(HandoffPacket packet, Redactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return redactor is null ? Serialize(packet) : JsonSerializer.Serialize(packet, Shape(redactor).Handoff);
    }

    /// <summary>Writes a failure as <see cref="Serialize(Failure)"/> does, with every string redacted.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="redactor">The redactor; <see langword="null"/> writes the failure unredacted.</param>
    /// <returns>The JSON object as text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="failure"/> is <see langword="null"/>.</exception>
    public static string Serialize(Failure failure, Redactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return redactor is null ? Serialize(failure) : JsonSerializer.Serialize(failure, Shape(redactor).Failure);
    }

    private static RedactedShape Shape(Redactor redactor) => s_redacted.GetValue(redactor, static r => new RedactedShape(r));

    /// <summary>The serializer options of this shape plus a string converter that redacts, built once per redactor.</summary>
    private sealed class RedactedShape
    {
        public RedactedShape(Redactor redactor)
        {
            var options = new JsonSerializerOptions(s_options);
            options.Converters.Add(new RedactingStringConverter(redactor));
            options.MakeReadOnly();
            RunEvent = (JsonTypeInfo<RunEvent>)options.GetTypeInfo(typeof(RunEvent));
            Handoff = (JsonTypeInfo<HandoffPacket>)options.GetTypeInfo(typeof(HandoffPacket));
            Failure = (JsonTypeInfo<Failure>)options.GetTypeInfo(typeof(Failure));
        }

        public JsonTypeInfo<RunEvent> RunEvent { get; }

        public JsonTypeInfo<HandoffPacket> Handoff { get; }

        public JsonTypeInfo<Failure> Failure { get; }
    }

    /// <summary>Writes every string value redacted; reads strings as they are.</summary>
    private sealed class RedactingStringConverter(Redactor redactor) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(redactor.Redact(value));
    }
}
