using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keel.Core.Tests.Knowledge;

namespace Keel.Server.Tests.Knowledge;

/// <summary>The knowledge API: documents per workspace written by admin keys (front matter or JSON groups), search with the asker's
/// groups that never shows a foreign passage, abstention below the threshold, and 400s naming the field.</summary>
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
