using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Core.Tests.Knowledge;
using Keel.Knowledge;
using Keel.Storage;
using Keel.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests.Knowledge;

/// <summary>The knowledge API: documents per workspace written by admin keys (front matter or JSON groups), search with the asker's
/// groups that never shows a foreign passage, abstention below the threshold, 400s naming the field, and the documents kept in the
/// store: a restart answers the same without embedding them again, another instance's writes are seen, another model's vectors are
/// embedded again.</summary>
public sealed class KnowledgeApiTests
{
    private const string Refunds = """
        ---
        groups: [billing]
        ---
        # Refunds
        Refunds for cancelled flights are paid back to the original card within seven days.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TestGateway Gateway() => new(o => o.Embeddings = () => new WordEmbeddingGenerator());

    [Fact]
    public async Task PutThenGetAndDelete_Document_RoundTripsWithItsFrontMatterGroups()
    {
        await using var gateway = await Gateway().StartAsync();

        var created = await gateway.Admin.PutAsJsonAsync("/v1/knowledge/documents/refunds", new { text = Refunds }, TestGateway.Json, Ct);
        var replaced = await gateway.Admin.PutAsJsonAsync("/v1/knowledge/documents/refunds", new { text = Refunds }, TestGateway.Json, Ct);
        var read = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/knowledge/documents/refunds", Ct);

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ShouldBe(["billing"]);
        read.GetProperty("passages").GetInt32().ShouldBeGreaterThan(0);
        read.GetProperty("text").GetString()!.ShouldStartWith("# Refunds");
        (await gateway.Admin.DeleteAsync("/v1/knowledge/documents/refunds", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await gateway.Admin.GetAsync("/v1/knowledge/documents/refunds", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_AskerWithoutTheGroup_NeverSeesTheForeignPassage()
    {
        await using var gateway = await Gateway().StartAsync();
        await PutAsync(gateway.Admin, "refunds", new { text = Refunds });
        await PutAsync(gateway.Admin, "baggage", new { text = "Each passenger may check one bag of 23 kg.", groups = new[] { "support" } });
        var agent = await gateway.NewClientAsync("agent", "refund-desk");

        var asBilling = await SearchAsync(agent, "q=refunds+for+cancelled+flights&groups=billing&top=50");
        var asSupport = await SearchAsync(agent, "q=refunds+for+cancelled+flights&groups=support&top=50");

        asBilling.GetProperty("hits")[0].GetProperty("document_id").GetString().ShouldBe("refunds");
        asBilling.GetProperty("decision").GetString().ShouldBe("answer");
        asSupport.GetProperty("hits").EnumerateArray().ShouldAllBe(h => h.GetProperty("document_id").GetString() == "baggage");
        asSupport.GetProperty("decision").GetString().ShouldBe("abstain_and_hand_off");
        asSupport.GetRawText().ShouldNotContain("original card");
    }

    [Fact]
    public async Task Search_OtherWorkspace_SeesNoneOfThisWorkspacesDocuments()
    {
        await using var gateway = await Gateway().StartAsync();
        await PutAsync(gateway.Admin, "refunds", new { text = "Refunds are paid within seven days.", groups = Array.Empty<string>() });
        var other = await gateway.NewWorkspaceAsync("other");

        var answer = await SearchAsync(other, "q=refunds+paid");

        answer.GetProperty("hits").GetArrayLength().ShouldBe(0);
        answer.GetProperty("decision").GetString().ShouldBe("abstain_and_hand_off");
    }

    [Fact]
    public async Task Search_AfterRestart_SameAnswerFromStoredVectorsWithoutEmbeddingTheDocumentsAgain()
    {
        var embeddings = new WordEmbeddingGenerator();
        await using var gateway = await new TestGateway(o => o.Embeddings = () => embeddings).StartAsync();
        await PutAsync(gateway.Admin, "refunds", new { text = Refunds });
        await PutAsync(gateway.Admin, "baggage", new { text = "# Baggage\nEach passenger may check one bag of 23 kg.\n\n# Pets\nSmall pets travel in the cabin." });
        var before = await SearchAsync(gateway.Admin, "q=refunds+for+cancelled+flights&groups=billing&top=50");

        await gateway.RestartAsync();
        var textsEmbedded = embeddings.Texts;
        var after = await SearchAsync(gateway.Admin, "q=refunds+for+cancelled+flights&groups=billing&top=50");
        var read = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/knowledge/documents/refunds", Ct);

        after.GetRawText().ShouldBe(before.GetRawText());
        after.GetProperty("hits").GetArrayLength().ShouldBe(3);
        embeddings.Texts.ShouldBe(textsEmbedded + 1, "only the question is embedded after the restart");
        read.GetProperty("text").GetString()!.ShouldStartWith("# Refunds");
        read.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ShouldBe(["billing"]);
    }

    [Fact]
    public async Task Search_DocumentWrittenByAnotherInstance_IsFoundOnTheNextRequest()
    {
        await using var gateway = await Gateway().StartAsync();
        await PutAsync(gateway.Admin, "refunds", new { text = Refunds });
        (await SearchAsync(gateway.Admin, "q=checked+bag+weight&top=50")).GetProperty("hits").GetArrayLength().ShouldBe(0);

        // Another server on the database writes through the store port, not through this server's cache.
        var text = "Each passenger may check one bag of 23 kg.";
        await gateway.Services.GetRequiredService<IKnowledgeStore>().PutKnowledgeDocumentAsync(Workspace.Default.Id, new KnowledgeDocument("baggage", text, []),
            KnowledgeBase.ModelNameOf(new WordEmbeddingGenerator()), [new StoredPassage(text, EmbeddingVectors.Normalize(WordEmbeddingGenerator.Embed(text)))], "other-server", Ct);
        var found = await SearchAsync(gateway.Admin, "q=checked+bag+weight&top=50");
        (await gateway.Admin.DeleteAsync("/v1/knowledge/documents/refunds", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var afterDelete = await SearchAsync(gateway.Admin, "q=refunds+for+cancelled+flights&groups=billing&top=50");

        found.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("document_id").GetString()).ShouldBe(["baggage"]);
        afterDelete.GetProperty("hits").EnumerateArray().ShouldAllBe(h => h.GetProperty("document_id").GetString() == "baggage");
    }

    [Fact]
    public async Task Search_DocumentEmbeddedByAnotherModel_IsEmbeddedAgainAndStoredBack()
    {
        await using var gateway = await Gateway().StartAsync();
        var store = gateway.Services.GetRequiredService<IKnowledgeStore>();
        var text = "Refunds are paid within seven days.";
        await store.PutKnowledgeDocumentAsync(Workspace.Default.Id, new KnowledgeDocument("refunds", text, []), "old-model", [new StoredPassage(text, [1f, 0f, 0f])], "ops", Ct);

        var answer = await SearchAsync(gateway.Admin, "q=refunds+paid");
        var stored = (await store.GetKnowledgeDocumentAsync(Workspace.Default.Id, "refunds", Ct)).ShouldNotBeNull();

        answer.GetProperty("hits")[0].GetProperty("document_id").GetString().ShouldBe("refunds");
        answer.GetProperty("decision").GetString().ShouldBe("answer");
        stored.EmbeddingModel.ShouldBe(KnowledgeBase.ModelNameOf(new WordEmbeddingGenerator()));
        stored.Dimensions.ShouldBe(WordEmbeddingGenerator.Dimensions);
        stored.UpdatedBy.ShouldBe("keel:re-embed");
    }

    [Fact]
    public async Task PutDocument_NotAdmin_IsForbidden()
    {
        await using var gateway = await Gateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");

        var response = await agent.PutAsJsonAsync("/v1/knowledge/documents/x", new { text = "hello" }, TestGateway.Json, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{"groups": ["a"]}""", "$.text")]
    [InlineData("""{"text": "---\ngroups: [a]\n---\nbody", "groups": ["b"]}""", "$.groups")]
    [InlineData("""{"text": "---\ngroups: [a]\nbody"}""", "$.text")]
    [InlineData("""{"text": "body", "groups": [" "]}""", "$.groups")]
    public async Task PutDocument_BadBody_Answers400NamingTheField(string body, string field)
    {
        await using var gateway = await Gateway().StartAsync();

        var response = await gateway.Admin.PutAsync("/v1/knowledge/documents/x", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        await ShouldNameAsync(response, field);
        (await gateway.Admin.GetAsync("/v1/knowledge/documents/x", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("", "query:q")]
    [InlineData("q=x&top=0", "query:top")]
    [InlineData("q=x&top=51", "query:top")]
    public async Task Search_BadQuery_Answers400NamingTheParameter(string query, string parameter)
    {
        await using var gateway = await Gateway().StartAsync();

        await ShouldNameAsync(await gateway.Admin.GetAsync($"/v1/knowledge/search?{query}", Ct), parameter);
    }

    [Fact]
    public async Task Search_ServerWithoutEmbeddings_Answers501()
    {
        await using var gateway = await new TestGateway().StartAsync();

        var response = await gateway.Admin.GetAsync("/v1/knowledge/search?q=x", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotImplemented);
    }

    private static async Task PutAsync(HttpClient admin, string id, object body)
    {
        var response = await admin.PutAsJsonAsync($"/v1/knowledge/documents/{id}", body, TestGateway.Json, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/v1/knowledge/search?{query}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task ShouldNameAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(text);
    }
}
