using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keel.Approvals;
using Keel.Storage;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Server.Tests.Fuzz;

/// <summary>A seeded attacker-style fuzz of the gateway API on the test host (docs/robustness.md): random valid and mutated requests
/// over every endpoint, as every role and as no one. Asserts that no answer is a 5xx, that every error is a Keel problem with a
/// detail, and that a rejected request stores nothing: no event, no approval decision, no key, no budget, no tool execution, no
/// idempotency record (a replayed answer is always a 2xx; a retry of a 2xx is replayed byte for byte).</summary>
/// <remarks>20 000 requests by default (12–25 s on 2 cores); <c>KEEL_FUZZ_REQUESTS=50000</c> runs the 50 000 of docs/robustness.md and <c>KEEL_FUZZ_REPORT=&lt;file&gt;</c>
/// writes the figures as Markdown.</remarks>
public sealed class GatewayFuzzTests(ITestOutputHelper output)
{
    public const int Seed = 20_261_205;

    [Fact]
    public async Task Gateway_SeededFuzzOverEveryEndpoint_AnswersNo5xxAndStoresNothingFromARejection()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("KEEL_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : 20_000;
        const int maxBody = 64 * 1024;
        await using var gateway = await new TestGateway(o => o.MaxRequestBodyBytes = maxBody).StartAsync();
        var world = await SetUpAsync(gateway);
        var random = new Random(Seed);
        var generator = new RequestGenerator(random, world, new BodyMutator(random, maxBody));
        var stats = new FuzzStats();
        var probe = new StoreProbe(gateway);
        var clock = Stopwatch.StartNew();

        while (stats.Requests < total)
        {
            var request = generator.Next();
            var before = await probe.SnapshotAsync(request);
            var answer = await SendAsync(request, request.Body, request.ContentType);
            stats.Record(request, answer);
            Check(request, answer, stats);
            if (answer.Status >= 400 && await probe.SnapshotAsync(request) != before)
            {
                stats.Violation(request, answer, "rejection stored something", $"a {answer.Status} rejection changed what is stored: before {before}, after {await probe.SnapshotAsync(request)}");
            }

            await LearnAsync(world, request, answer);
            if (request.IdempotencyKey is { } key && request.Method == HttpMethod.Post && stats.Requests < total)
            {
                if (answer.Status is >= 200 and <= 299 && random.Next(10) == 0)
                {
                    // A retry of a stored answer is that answer again, byte for byte (but for the secrets sealing redacted before
                    // the answer was stored, such as a new key's secret: docs/audit.md), and executes nothing.
                    var executions = gateway.Upstream.Total;
                    var retry = await SendAsync(request, request.Body, request.ContentType);
                    stats.Record(request with { Endpoint = request.Endpoint + ":retry" }, retry);
                    Check(request, retry, stats);
                    var same = retry.Body.AsSpan().SequenceEqual(answer.Body) || Encoding.UTF8.GetString(retry.Body).Contains("[redacted:", StringComparison.Ordinal);
                    if (!retry.Replayed || retry.Status != answer.Status || !same || gateway.Upstream.Total != executions)
                    {
                        stats.Violation(request, retry, "retry of a 2xx not replayed", $"a retry of a stored {answer.Status} was not replayed as it ({retry.Status}, replayed: {retry.Replayed})");
                    }
                }
                else if (answer.Status >= 400 && key.StartsWith("fz-", StringComparison.Ordinal) && request.ValidBody is { } valid && random.Next(4) == 0)
                {
                    // The corrected request under the same (fresh) key runs: the rejection released the key.
                    var corrected = await SendAsync(request, valid, "application/json");
                    stats.Record(request with { Endpoint = request.Endpoint + ":corrected" }, corrected);
                    Check(request, corrected, stats);
                    if (corrected.Replayed || corrected.ProblemType == "urn:keel:problem:idempotency-key-reuse")
                    {
                        stats.Violation(request, corrected, "corrected retry found the key taken", $"a corrected retry after a {answer.Status} found the key taken ({corrected.Status}, replayed: {corrected.Replayed})");
                    }

                    await LearnAsync(world, request with { Body = valid }, corrected);
                }
            }

            if (stats.Requests % 50 == 0)
            {
                gateway.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        clock.Stop();
        var report = stats.Markdown(Seed, clock.Elapsed);
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("KEEL_FUZZ_REPORT") is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, report);
        }

        stats.ServerErrors.ShouldBe(0, report);
        stats.ViolationsByKind.ShouldBeEmpty(report);
        stats.Requests.ShouldBeGreaterThanOrEqualTo(total);

        // Coverage: the run produced every class of answer it is meant to exercise.
        foreach (var status in new[] { 200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422 })
        {
            stats.Statuses.ShouldContainKey(status, report);
        }
    }

    private static void Check(FuzzRequest request, Answer answer, FuzzStats stats)
    {
        if (answer.Status >= 500)
        {
            stats.Violation(request, answer, "5xx", "a 5xx answer");
        }

        if (answer.Status >= 400)
        {
            if (answer.MediaType != "application/problem+json")
            {
                stats.Violation(request, answer, "error not application/problem+json", $"a {answer.Status} answer is '{answer.MediaType}', not application/problem+json");
            }
            else if (answer.ProblemType?.StartsWith("urn:keel:problem:", StringComparison.Ordinal) != true || string.IsNullOrWhiteSpace(answer.ProblemDetail) || answer.ProblemStatus != answer.Status)
            {
                stats.Violation(request, answer, "problem without a Keel type, detail or status", $"a {answer.Status} problem without a Keel type, a detail or its status: {Encoding.UTF8.GetString(answer.Body)}");
            }
        }

        if (answer.Replayed && answer.Status is < 200 or > 299)
        {
            stats.Violation(request, answer, "rejection replayed as the idempotent answer", $"a stored idempotency answer is a rejection ({answer.Status})");
        }
    }

    private static async Task<Answer> SendAsync(FuzzRequest request, byte[]? body, string? contentType)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (request.IdempotencyKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        using var response = await request.Client.Http.SendAsync(message);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var answer = new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, bytes,
            response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true"));
        if (answer.MediaType == "application/problem+json")
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                return answer with
                {
                    ProblemType = root.TryGetProperty("type", out var type) ? type.GetString() : null,
                    ProblemDetail = root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null,
                    ProblemStatus = root.TryGetProperty("status", out var status) && status.TryGetInt32(out var s) ? s : null,
                };
            }
            catch (JsonException)
            {
                return answer;
            }
        }

        return answer;
    }

    /// <summary>Adds the ids a 2xx answer made (runs, approvals, keys) to the world, so later requests aim at them.</summary>
    private static async Task LearnAsync(FuzzWorld world, FuzzRequest request, Answer answer)
    {
        if (answer.Status is < 200 or > 299 || answer.Replayed || request.Client.Workspace is not { } workspace || answer.MediaType != "application/json")
        {
            return;
        }

        using var document = JsonDocument.Parse(answer.Body);
        var root = document.RootElement;
        switch (request.Endpoint)
        {
            case "open_run" when root.TryGetProperty("id", out var id):
                world.Runs[workspace].Add(id.GetString()!);
                break;
            case "propose_tool_call" when root.TryGetProperty("approval", out var approval) && approval.ValueKind == JsonValueKind.Object:
                var approvalId = approval.GetProperty("id").GetString()!;
                if (!world.Approvals[workspace].Contains(approvalId))
                {
                    world.Approvals[workspace].Add(approvalId);
                }

                break;
            case "create_key" when root.TryGetProperty("id", out var keyId):
                world.Keys[workspace].Add(keyId.GetString()!);
                break;
        }

        await Task.CompletedTask;
    }

    private static async Task<FuzzWorld> SetUpAsync(TestGateway gateway)
    {
        var world = new FuzzWorld();
        var adminB = await gateway.NewWorkspaceAsync(FuzzWorld.WorkspaceB);
        var agentA = await gateway.NewClientAsync("agent", "refund-desk", name: "fuzz-agent-a");
        var agentB = await gateway.NewClientAsync("agent", "refund-desk", adminB, name: "fuzz-agent-b");
        var (revokedId, revoked) = await gateway.NewKeyAsync("agent", "refund-desk", name: "fuzz-revoked");
        (await gateway.Admin.DeleteAsync($"/v1/keys/{revokedId}")).EnsureSuccessStatusCode();
        void Add(string name, HttpClient client, string? workspace) => world.Clients[name] = new FuzzClient(name, client, workspace);
        Add("adminA", gateway.Admin, FuzzWorld.WorkspaceA);
        Add("operatorA", await gateway.NewClientAsync("operator", name: "fuzz-operator-a"), FuzzWorld.WorkspaceA);
        Add("agentA", agentA, FuzzWorld.WorkspaceA);
        Add("agentA2", await gateway.NewClientAsync("agent", "refund-desk", name: "fuzz-agent-a2"), FuzzWorld.WorkspaceA);
        Add("adminB", adminB, FuzzWorld.WorkspaceB);
        Add("agentB", agentB, FuzzWorld.WorkspaceB);
        Add("none", gateway.Client(null), null);
        Add("garbage", gateway.Client("keel_nosuchkey_0000"), null);
        Add("revoked", revoked, null);

        foreach (var (workspace, agent, count) in new[] { (FuzzWorld.WorkspaceA, agentA, 4), (FuzzWorld.WorkspaceB, agentB, 2) })
        {
            for (var i = 0; i < count; i++)
            {
                var run = await agent.OpenRunAsync($"fz-seed-{workspace}-{i}");
                world.Runs[workspace].Add(run);
                var held = await agent.ProposeOkAsync(run, "seed-call", "refund_order", new { order_id = "A1", amount = 900 });
                world.Approvals[workspace].Add(held.ApprovalId());
            }

            var admin = workspace == FuzzWorld.WorkspaceA ? gateway.Admin : adminB;
            for (var i = 0; i < 3; i++)
            {
                var response = await admin.PostAsJsonAsync("/v1/keys", new { name = $"fz-spare-{i}", role = "operator" }, TestGateway.Json);
                world.Keys[workspace].Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }
        }

        return world;
    }

    /// <summary>An answer as the checks read it.</summary>
    internal sealed record Answer(int Status, string? MediaType, byte[] Body, bool Replayed)
    {
        public string? ProblemType { get; init; }

        public string? ProblemDetail { get; init; }

        public int? ProblemStatus { get; init; }
    }

    /// <summary>Reads, behind the API, what a request could change: its run's stored head in each workspace, its approval's
    /// status and stages, each workspace's keys and budget, and the upstream's executions.</summary>
    private sealed class StoreProbe(TestGateway gateway)
    {
        private readonly ILiveRunStore _runs = gateway.Services.GetRequiredService<ILiveRunStore>();
        private readonly IApprovalStore _approvals = gateway.Services.GetRequiredService<IApprovalStore>();
        private readonly IApiKeyStore _keys = gateway.Services.GetRequiredService<IApiKeyStore>();
        private readonly IWorkspaceStore _workspaces = gateway.Services.GetRequiredService<IWorkspaceStore>();

        public async Task<string> SnapshotAsync(FuzzRequest request)
        {
            var parts = new List<string> { $"executions={gateway.Upstream.Total}" };
            foreach (var workspace in new[] { FuzzWorld.WorkspaceA, FuzzWorld.WorkspaceB })
            {
                if (request.RunId is { } run && request.Method == HttpMethod.Post)
                {
                    parts.Add($"{workspace}/{run}@{await _runs.GetHeadSequenceAsync(workspace, run)}");
                }

                if (request.ApprovalId is { } id && await _approvals.GetAsync(workspace, id) is { } approval)
                {
                    parts.Add($"{workspace}/{id}:{approval.Status}/{approval.Stages.Count}");
                }

                if (request.Endpoint is "create_key" or "revoke_key")
                {
                    var keys = await _keys.ListKeysAsync(workspace);
                    parts.Add($"{workspace} keys={keys.Count} revoked={keys.Count(k => k.RevokedAt is not null)}");
                }

                if (request.Endpoint == "put_budget")
                {
                    parts.Add($"{workspace} budget={await _workspaces.GetWorkspaceBudgetAsync(workspace)}");
                }
            }

            return string.Join("; ", parts);
        }
    }
}
