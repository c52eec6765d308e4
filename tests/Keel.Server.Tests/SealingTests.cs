using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Keel.Server.Tests;

/// <summary>Records are sealed in Core before any backend stores them: no raw secret reaches a file of the store.</summary>
public sealed class SealingTests
{
    private static readonly string[] Secrets =
    [
        "jane.doe@example.com",
        "4111 1111 1111 1111",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ];

    [Fact]
    public async Task HeldCallAndIdempotentAnswers_SecretsInArgumentsAndBodies_NeverReachTheDatabaseFiles()
    {
        await using var gateway = await new TestGateway().StartAsync();
        {
            var agent = await gateway.NewClientAsync("agent", "refund-desk");
            var run = await agent.OpenRunAsync();
            var arguments = new { order_id = $"A1 for {Secrets[0]}, card {Secrets[1]}, token {Secrets[2]}", amount = 900 };

            // Held for approval: the approval keeps the call's arguments. Sent with an Idempotency-Key: the record keeps the answer.
            var held = await agent.ProposeAsync(run, "c1", "refund_order", arguments, idempotencyKey: "held-1");
            held.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await held.Content.ReadFromJsonAsync<JsonElement>()).DecisionKind().ShouldBe("require_approval");

            // A new key's answer holds its secret: the stored idempotent answer must not.
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/keys") { Content = JsonContent.Create(new { name = "ops", role = "operator" }) };
            request.Headers.Add("Idempotency-Key", "key-1");
            var created = await gateway.Admin.SendAsync(request);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var createdKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

            var pending = await gateway.Admin.GetFromJsonAsync<JsonElement>("/v1/approvals?status=pending");
            var shown = pending.GetRawText();
            shown.ShouldContain("[redacted:email]");
            foreach (var secret in Secrets)
            {
                shown.ShouldNotContain(secret);
            }

            var files = Directory.GetFiles(Path.GetDirectoryName(gateway.DatabasePath)!, "keel.db*");
            files.ShouldNotBeEmpty();
            var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
            foreach (var secret in Secrets.Append(createdKey))
            {
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).ShouldBe(-1, $"'{secret}' reached the database files");
            }
        }
    }
}
