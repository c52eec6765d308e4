using Keel.Embeddings;
using Keel.Knowledge;
using Shouldly;
using Xunit;

namespace Keel.Embeddings.Tests;

public sealed class MiniLmEmbeddingGeneratorTests : IDisposable
{
    private readonly MiniLmEmbeddingGenerator _generator = new();

    public void Dispose() => _generator.Dispose();

    [Fact]
    public async Task GenerateAsync_Texts_Returns384DimensionUnitVectorsInOrder()
    {
        var embeddings = await _generator.GenerateAsync(["first text", "second text", ""], cancellationToken: TestContext.Current.CancellationToken);

        embeddings.Count.ShouldBe(3);
        embeddings.ShouldAllBe(e => e.Vector.Length == MiniLmEmbeddingGenerator.Dimensions && e.ModelId == "all-MiniLM-L6-v2");
        var norm = Math.Sqrt(embeddings[0].Vector.ToArray().Sum(x => (double)x * x));
        norm.ShouldBe(1.0, 1e-3);
    }

    [Fact]
    public async Task GenerateAsync_Paraphrase_ScoresHigherThanUnrelatedSentence()
    {
        var vectors = await EmbeddingVectors.EmbedAsync(_generator, [
            "How many checked bags can I bring for free?",
            "What is the free checked baggage allowance?",
            "The weather in Paris is sunny today.",
        ], TestContext.Current.CancellationToken);

        var paraphrase = EmbeddingVectors.Cosine(vectors[0], vectors[1]);
        var unrelated = EmbeddingVectors.Cosine(vectors[0], vectors[2]);

        paraphrase.ShouldBeGreaterThan(unrelated + 0.3);
        paraphrase.ShouldBeGreaterThan(RetrievalOptions.DefaultAbstainBelow);
        unrelated.ShouldBeLessThan(RetrievalOptions.DefaultAbstainBelow);
    }

    [Fact]
    public async Task GenerateAsync_MoreTextsThanOneBatch_ReturnsOnePerText()
    {
        var texts = Enumerable.Range(0, MiniLmEmbeddingGenerator.BatchSize + 3).Select(i => $"sentence number {i}").ToArray();

        var embeddings = await _generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        embeddings.Count.ShouldBe(texts.Length);
    }

    [Fact]
    public void GetService_Metadata_Reports384Dimensions()
    {
        var metadata = _generator.GetService(typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata)).ShouldBeOfType<Microsoft.Extensions.AI.EmbeddingGeneratorMetadata>();

        metadata.DefaultModelDimensions.ShouldBe(384);
    }
}
