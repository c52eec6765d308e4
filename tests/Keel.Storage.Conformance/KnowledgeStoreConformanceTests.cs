using Keel.Knowledge;
using Shouldly;

namespace Keel.Storage.Conformance;

/// <summary>The knowledge store (<see cref="IKnowledgeStore"/>): put, replace, delete, list with the vectors byte for byte, the
/// workspace's version counter, workspace isolation, and two store instances on one database seeing each other's writes.</summary>
public abstract class KnowledgeStoreConformanceTests : StoreConformanceTests
{
    private const string Ws = "ws-a";
    private const string Model = "all-MiniLM-L6-v2";

    private IKnowledgeStore Knowledge => Store.Gateway;

    [Fact]
    public async Task PutKnowledgeDocumentAsync_NewDocument_StoresTextGroupsPassagesAndVectorsExactly()
    {
        var passages = Passages(("# Refunds\nPaid back within seven days.", [0.6f, -0.8f, 0f]), ("# Refunds > Cards\nTo the original card.", [float.Epsilon, 1f / 3, -0.5f]));

        var (stored, created) = await Knowledge.PutKnowledgeDocumentAsync(Ws, new KnowledgeDocument("refunds", "# Refunds\nPaid back.", ["billing", "Support"]), Model, passages, "key-1", Ct);
        var read = (await Knowledge.GetKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldNotBeNull();

        created.ShouldBeTrue();
        foreach (var document in new[] { stored, read })
        {
            document.Id.ShouldBe("refunds");
            document.Text.ShouldBe("# Refunds\nPaid back.");
            document.Groups.ShouldBe(["billing", "Support"]);
            document.EmbeddingModel.ShouldBe(Model);
            document.Dimensions.ShouldBe(3);
            document.UpdatedAt.ShouldBe(Time.GetUtcNow());
            document.UpdatedBy.ShouldBe("key-1");
            document.Passages.Select(p => p.Text).ShouldBe(passages.Select(p => p.Text));
            document.Passages.Select(p => p.Vector).ShouldBe(passages.Select(p => p.Vector));
        }

        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task PutKnowledgeDocumentAsync_SameId_ReplacesItAndCountsAVersion()
    {
        await PutAsync(Ws, "refunds", "old text", [], ("old text", [1f, 0f]));
        Time.Advance(TimeSpan.FromMinutes(5));

        var (stored, created) = await Knowledge.PutKnowledgeDocumentAsync(Ws, new KnowledgeDocument("refunds", "new text", ["billing"]), "other-model", [], "key-2", Ct);

        created.ShouldBeFalse();
        stored.Dimensions.ShouldBe(0);
        var (documents, version) = await Knowledge.ListKnowledgeDocumentsAsync(Ws, Ct);
        var only = documents.ShouldHaveSingleItem();
        only.Text.ShouldBe("new text");
        only.Groups.ShouldBe(["billing"]);
        only.EmbeddingModel.ShouldBe("other-model");
        only.Passages.ShouldBeEmpty();
        only.UpdatedAt.ShouldBe(Time.GetUtcNow());
        only.UpdatedBy.ShouldBe("key-2");
        version.ShouldBe(2);
    }

    [Fact]
    public async Task DeleteKnowledgeDocumentAsync_ExistingThenMissing_DeletesOnceAndCountsOneVersion()
    {
        await PutAsync(Ws, "refunds", "text", [], ("text", [1f]));

        (await Knowledge.DeleteKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldBeTrue();
        (await Knowledge.DeleteKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldBeFalse();

        (await Knowledge.GetKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldBeNull();
        (await Knowledge.ListKnowledgeDocumentsAsync(Ws, Ct)).Documents.ShouldBeEmpty();
        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task ListKnowledgeDocumentsAsync_SeveralDocuments_ReturnsThemByIdOrdinal()
    {
        foreach (var id in new[] { "b", "a", "B", "a-2" })
        {
            await PutAsync(Ws, id, $"text of {id}", [], ($"text of {id}", [0f, 1f]));
        }

        var (documents, version) = await Knowledge.ListKnowledgeDocumentsAsync(Ws, Ct);

        documents.Select(d => d.Id).ShouldBe(["B", "a", "a-2", "b"]);
        version.ShouldBe(4);
    }

    [Fact]
    public async Task KnowledgeStore_TwoWorkspaces_NeitherSeesTheOthersDocumentsOrVersion()
    {
        await PutAsync(Ws, "refunds", "a's text", ["billing"], ("a's text", [1f, 0f]));
        await PutAsync("ws-b", "baggage", "b's text", [], ("b's text", [0f, 1f]));

        (await Knowledge.GetKnowledgeDocumentAsync("ws-b", "refunds", Ct)).ShouldBeNull();
        (await Knowledge.DeleteKnowledgeDocumentAsync("ws-b", "refunds", Ct)).ShouldBeFalse();
        (await Knowledge.ListKnowledgeDocumentsAsync("ws-b", Ct)).Documents.Select(d => d.Id).ShouldBe(["baggage"]);
        (await Knowledge.ListKnowledgeDocumentsAsync(Ws, Ct)).Documents.Select(d => d.Id).ShouldBe(["refunds"]);
        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(1);
        (await Knowledge.GetKnowledgeVersionAsync("ws-none", Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task KnowledgeStore_TwoInstances_EachSeesTheOthersWritesAndVersion()
    {
        var other = (await OpenInstanceAsync()).Gateway;

        await PutAsync(Ws, "refunds", "text", [], ("text", [0.5f, 0.5f]));
        var seenByOther = await other.GetKnowledgeDocumentAsync(Ws, "refunds", Ct);
        (await other.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(1);
        (await other.DeleteKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldBeTrue();

        seenByOther.ShouldNotBeNull().Passages.ShouldHaveSingleItem().Vector.ShouldBe([0.5f, 0.5f]);
        (await Knowledge.GetKnowledgeDocumentAsync(Ws, "refunds", Ct)).ShouldBeNull();
        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task PutKnowledgeDocumentAsync_ConcurrentWritersOnTwoInstances_CountEveryWrite()
    {
        var other = (await OpenInstanceAsync()).Gateway;

        await RaceAsync(8, i => (i % 2 == 0 ? Knowledge : other).PutKnowledgeDocumentAsync(Ws, new KnowledgeDocument($"d{i % 3}", "t", []), Model, [new StoredPassage("t", [1f])], "k", Ct));

        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(8);
        (await other.ListKnowledgeDocumentsAsync(Ws, Ct)).Documents.Select(d => d.Id).ShouldBe(["d0", "d1", "d2"]);
    }

    [Fact]
    public async Task PutKnowledgeDocumentAsync_VectorsOfTwoLengths_ThrowsAndStoresNothing()
    {
        var mixed = Passages(("a", [1f, 0f]), ("b", [1f]));

        await Should.ThrowAsync<ArgumentException>(() => Knowledge.PutKnowledgeDocumentAsync(Ws, new KnowledgeDocument("x", "a b", []), Model, mixed, "k", Ct));

        (await Knowledge.GetKnowledgeDocumentAsync(Ws, "x", Ct)).ShouldBeNull();
        (await Knowledge.GetKnowledgeVersionAsync(Ws, Ct)).ShouldBe(0);
    }

    private Task<(StoredKnowledgeDocument Document, bool Created)> PutAsync(string workspaceId, string id, string text, string[] groups, params (string Text, float[] Vector)[] passages) =>
        Knowledge.PutKnowledgeDocumentAsync(workspaceId, new KnowledgeDocument(id, text, groups), Model, Passages(passages), "key-1", Ct);

    private static StoredPassage[] Passages(params (string Text, float[] Vector)[] passages) => [.. passages.Select(p => new StoredPassage(p.Text, p.Vector))];
}
