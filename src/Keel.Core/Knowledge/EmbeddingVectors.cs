using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Keel.Knowledge;

/// <summary>Embeds texts through an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> and scales each vector to unit length, so
/// that the dot product of two vectors is their cosine similarity (SIMD through <see cref="TensorPrimitives"/>).</summary>
public static class EmbeddingVectors
{
    /// <summary>Embeds texts, one unit-length vector per text, in input order.</summary>
    /// <param name="generator">The embedding generator.</param>
    /// <param name="texts">The texts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vectors; a zero vector stays zero.</returns>
    /// <exception cref="InvalidOperationException">The generator returned a different number of embeddings than texts.</exception>
    public static async Task<float[][]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {texts.Count} texts.");
        }

        var vectors = new float[texts.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Normalize(embeddings[i].Vector.Span);
        }

        return vectors;
    }

    /// <summary>A copy of the vector scaled to unit length (a zero vector is returned as zeros).</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The unit vector.</returns>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    /// <summary>The cosine similarity of two unit vectors (their dot product), clamped to −1 … 1.</summary>
    /// <param name="a">A unit vector.</param>
    /// <param name="b">A unit vector of the same length.</param>
    /// <returns>The cosine.</returns>
    /// <exception cref="ArgumentException">The lengths differ (vectors of two different embedding models).</exception>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared: were they made by the same embedding model?", nameof(b));
        }

        return Math.Clamp(TensorPrimitives.Dot(a, b), -1.0, 1.0);
    }
}
