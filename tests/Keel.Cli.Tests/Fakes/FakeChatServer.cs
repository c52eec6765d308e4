using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Cli.Tests.Fakes;

/// <summary>A fake OpenAI-compatible <c>POST /v1/chat/completions</c> on a real socket (Kestrel on 127.0.0.1, a free port). The classifier
/// always gets topic <c>mobile_data</c>, outcome <c>resolved</c>; the judge gets 4 on every score rubric and true on every yes/no one.
/// Every answer reports 100 prompt and 20 completion tokens.</summary>
internal sealed partial class FakeChatServer : IAsyncDisposable
{
    private readonly List<(string? Authorization, JsonNode Body)> _requests = [];
    private WebApplication? _app;

    public IReadOnlyList<(string? Authorization, JsonNode Body)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_requests)
            {
                _requests.Add((context.Request.Headers.Authorization.ToString(), body));
            }

            var messages = body["messages"]!.AsArray();
            var system = messages[0]!["content"]!.ToString();
            var user = messages[1]!["content"]!.ToString();
            var content = system.StartsWith("You classify", StringComparison.Ordinal)
                ? """{"topic": "mobile_data", "topic_confidence": 0.8, "outcome": "resolved", "outcome_confidence": 0.6, "reason": "fake"}"""
                : new JsonObject
                {
                    ["metrics"] = new JsonArray([.. RubricLine().Matches(user).Select(m => (JsonNode)new JsonObject
                    {
                        ["name"] = m.Groups[1].Value,
                        ["value"] = m.Groups[2].Value == "score 1-5" ? JsonValue.Create(4) : JsonValue.Create(true),
                        ["reason"] = "fake",
                    })]),
                }.ToJsonString();
            return Results.Json(new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion",
                created = 0,
                model = body["model"]!.GetValue<string>(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
            });
        });
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address + "/v1");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^- (\w+) \((score 1-5|true/false)\):", RegexOptions.Multiline)]
    private static partial Regex RubricLine();
}
