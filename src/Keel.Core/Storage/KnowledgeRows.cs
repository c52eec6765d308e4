using System.Buffers.Binary;
using System.Text.Json;
using Keel.Knowledge;

namespace Keel.Storage;

/// <summary>The column encodings both backends use for <see cref="IKnowledgeStore"/>: string lists (groups, passage texts) as JSON
/// arrays, and a document's vectors as one blob of little-endian float32 values, passage after passage.</summary>
public static class KnowledgeRows
{
    /// <summary>A JSON array of strings.</summary>
    /// <param name="values">The strings.</param>
    /// <returns>The JSON text, e.g. <c>["billing","support"]</c>.</returns>
    public static string ToJson(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a JSON array of strings written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The strings.</returns>
    /// <exception cref="InvalidDataException">The text is not a JSON array of strings (a damaged row).</exception>
    public static string[] FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new InvalidDataException("a null in a stored string list"))];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"a stored string list is not a JSON array of strings: {ex.Message}", ex);
        }
    }

    /// <summary>The vectors of a document's passages as one blob (little-endian float32, passage after passage).</summary>
    /// <param name="passages">The passages.</param>
    /// <returns>The blob and the vectors' length (0 when there are no passages).</returns>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static (byte[] Blob, int Dimensions) ToBlob(IReadOnlyList<StoredPassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var dimensions = passages.Count == 0 ? 0 : passages[0].Vector.Length;
        var blob = new byte[passages.Count * dimensions * sizeof(float)];
        for (var p = 0; p < passages.Count; p++)
        {
            var vector = passages[p].Vector;
            if (vector.Length != dimensions)
            {
                throw new ArgumentException($"passage {p} has {vector.Length} dimensions, passage 0 has {dimensions}: one document's vectors come from one model", nameof(passages));
            }

            for (var i = 0; i < dimensions; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan(((p * dimensions) + i) * sizeof(float)), vector[i]);
            }
        }

        return (blob, dimensions);
    }

    /// <summary>The passages of a stored row: its texts with the vectors cut from its blob.</summary>
    /// <param name="texts">The passage texts.</param>
    /// <param name="blob">The vectors' blob.</param>
    /// <param name="dimensions">The vectors' length.</param>
    /// <returns>The passages.</returns>
    /// <exception cref="InvalidDataException">The blob's length is not texts × dimensions × 4 bytes (a damaged row).</exception>
    public static StoredPassage[] Passages(string[] texts, byte[] blob, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(blob);
        if (dimensions < 0 || blob.LongLength != (long)texts.Length * dimensions * sizeof(float))
        {
            throw new InvalidDataException($"a stored knowledge document has {texts.Length} passages of {dimensions} dimensions but {blob.Length} bytes of vectors");
        }

        var passages = new StoredPassage[texts.Length];
        for (var p = 0; p < texts.Length; p++)
        {
            var vector = new float[dimensions];
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(blob.AsSpan(((p * dimensions) + i) * sizeof(float)));
            }

            passages[p] = new StoredPassage(texts[p], vector);
        }

        return passages;
    }
}
