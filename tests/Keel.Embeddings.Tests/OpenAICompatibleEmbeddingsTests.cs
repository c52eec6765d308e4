using System.Text.Json.Nodes;
using Keel.Embeddings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace Keel.Embeddings.Tests;

/// <summary>The OpenAI-compatible adapter against a fake <c>/v1/embeddings</c> server on a real socket (127.0.0.1, a free port).</summary>
public sealed class OpenAICompatibleEmbeddingsTests : IAsyncDisposable
{
    private readonly List<(string? Authorization, JsonNode Body)> _requests = [];
    private WebApplication? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<Uri> StartAsync(int status = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_requests)
            {
                _requests.Add((context.Request.Headers.Authorization.ToString(), body));
            }

            if (status != 200)
            {
                return Results.Json(new { error = new { message = "model not found", type = "invalid_request_error" } }, statusCode: status);
            }

            // One 3-dimension vector per input: [index, length of the text, 1].
            var inputs = body["input"] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
            var data = inputs.Select((text, i) => new { @object = "embedding", index = i, embedding = new float[] { i, text.Length, 1 } });
            return Results.Json(new { @object = "list", data, model = body["model"]!.GetValue<string>(), usage = new { prompt_tokens = 5, total_tokens = 5 } });
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address + "/v1");
    }

    [Fact]
    public async Task GenerateAsync_LocalServer_PostsTheModelAndInputsAndReadsTheVectors()
    {
        var endpoint = await StartAsync();
        var generator = OpenAICompatibleEmbeddings.Create(endpoint, "test-embedder", "sk-test");

        var embeddings = await generator.GenerateAsync(["a", "three"], cancellationToken: TestContext.Current.CancellationToken);

        embeddings.Select(e => e.Vector.ToArray()).ShouldBe([[0f, 1f, 1f], [1f, 5f, 1f]]);
        var request = _requests.ShouldHaveSingleItem();
        request.Authorization.ShouldBe("Bearer sk-test");
        request.Body["model"]!.GetValue<string>().ShouldBe("test-embedder");
        request.Body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["a", "three"]);
    }

    [Fact]
    public async Task GenerateAsync_ServerAnswers404_ThrowsClientResultExceptionWithTheStatus()
    {
        var endpoint = await StartAsync(status: 404);
        var generator = OpenAICompatibleEmbeddings.Create(endpoint, "missing-model");

        var e = await Should.ThrowAsync<System.ClientModel.ClientResultException>(() => generator.GenerateAsync(["a"], cancellationToken: TestContext.Current.CancellationToken));

        e.Status.ShouldBe(404);
    }

    [Fact]
    public void Create_RelativeEndpoint_ThrowsNamingTheFix()
    {
        var e = Should.Throw<ArgumentException>(() => OpenAICompatibleEmbeddings.Create(new Uri("/v1", UriKind.Relative), "m"));

        e.Message.ShouldContain("absolute URI");
    }

    [Fact]
    public void AddOpenAICompatibleEmbeddings_AfterMiniLm_KeepsTheFirstRegistration()
    {
        var services = new ServiceCollection().AddOpenAICompatibleEmbeddings(new Uri("http://127.0.0.1:9/v1"), "m").AddMiniLmEmbeddings();

        services.Count(d => d.ServiceType == typeof(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>)).ShouldBe(1);
    }
}
