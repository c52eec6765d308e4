using System.Text;
using System.Text.Json.Nodes;

namespace Keel.Server.Tests.Fuzz;

/// <summary>A client the fuzzer sends as: its key's role and workspace (<see langword="null"/> for no or a bad key).</summary>
internal sealed record FuzzClient(string Name, HttpClient Http, string? Workspace);

/// <summary>The ids the fuzzer knows, per workspace: runs, approvals, keys it may revoke.</summary>
internal sealed class FuzzWorld
{
    public const string WorkspaceA = "default";
    public const string WorkspaceB = "fuzz-other";

    public Dictionary<string, FuzzClient> Clients { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<string>> Runs { get; } = new() { [WorkspaceA] = [], [WorkspaceB] = [] };

    public Dictionary<string, List<string>> Approvals { get; } = new() { [WorkspaceA] = [], [WorkspaceB] = [] };

    /// <summary>Keys the fuzzer created and may revoke (never the keys it sends as).</summary>
    public Dictionary<string, List<string>> Keys { get; } = new() { [WorkspaceA] = [], [WorkspaceB] = [] };
}

/// <summary>One request and what it aims at, for the checks.</summary>
internal sealed record FuzzRequest(string Endpoint, FuzzClient Client, HttpMethod Method, string Path, byte[]? Body, string? ContentType, string? IdempotencyKey, string Mutation)
{
    /// <summary>The run id in the path (or the body of an open), when the request targets one.</summary>
    public string? RunId { get; init; }

    /// <summary>The approval id in the path, for decisions.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>The valid body this one was mutated from, for a corrected retry.</summary>
    public byte[]? ValidBody { get; init; }
}

/// <summary>Makes random requests over every endpoint of docs/gateway-api.md: mostly well-formed, about half of the bodies mutated
/// (<see cref="BodyMutator"/>), with random roles (including none and other workspaces' keys), other workspaces' ids, random
/// query strings, content types and <c>Idempotency-Key</c> headers. Seeded.</summary>
internal sealed class RequestGenerator(Random random, FuzzWorld world, BodyMutator mutator)
{
    private static readonly string[] s_tools = ["get_order", "refund_order", "delete_account", "close_account", "preview_close_account", "no_such_tool"];
    private static readonly string[] s_contentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=latin1", "*/*", "application/problem+json", "application/merge-patch+json", "application/json;;", "json", "",
        "application/JSON", "application/json; charset=\"utf-8\"",
    ];

    private int _sequence;

    public FuzzRequest Next()
    {
        _sequence++;
        var roll = random.Next(100);
        return roll switch
        {
            < 6 => OpenRun(),
            < 10 => Get("list_runs", "/v1/runs" + Query(("limit", Limit(1000)))),
            < 14 => Get("get_run", $"/v1/runs/{RunPath(out _)}"),
            < 19 => Get("run_events", $"/v1/runs/{RunPath(out _)}/events" + Query(("after", Cursor()))),
            < 31 => Message(),
            < 56 => ToolCall(),
            < 58 => Close(),
            < 61 => Get("list_tools", "/v1/tools"),
            < 65 => Get("list_approvals", "/v1/approvals" + Query(("status", Pick(["pending", "granted", "denied", "expired", "used", "PENDING", "all", ""])), ("limit", Limit(1000)))),
            < 68 => Get("get_approval", $"/v1/approvals/{ApprovalPath(out _)}"),
            < 75 => Decide(),
            < 79 => CreateKey(),
            < 81 => Get("list_keys", "/v1/keys"),
            < 83 => RevokeKey(),
            < 86 => Get("access_log", "/v1/access-log" + Query(("limit", Limit(10_000)))),
            < 89 => Get("get_budget", "/v1/workspace/budget"),
            < 93 => PutBudget(),
            < 95 => Get("health", Pick(["/health", "/ready"])),
            _ => Stray(),
        };
    }

    private FuzzRequest OpenRun()
    {
        var body = new JsonObject();
        string? id = null;
        if (random.Next(10) < 8)
        {
            id = random.Next(20) == 0 ? Pick(world.Runs[WorkspaceOf(other: true)].DefaultIfEmpty("fz-run").ToList()) : $"fz-run-{_sequence}";
            body["id"] = id;
        }

        if (random.Next(2) == 0)
        {
            body["channel"] = Pick(["api", "web", "email", "whatsapp", "phone", "mcp", "fax", ""]);
        }

        if (random.Next(3) == 0)
        {
            body["workflow_class"] = Pick(["refunds", "retail", mutator.RandomText(10)]);
        }

        return Post("open_run", "agent", "/v1/runs", body) with { RunId = id };
    }

    private FuzzRequest Message()
    {
        var path = RunPath(out var runId);
        var body = new JsonObject
        {
            ["role"] = Pick(["user", "assistant", "system", "operator", "robot"]),
            ["content"] = mutator.RandomText(random.Next(1, 120)),
        };
        if (random.Next(3) == 0)
        {
            body["usage"] = new JsonObject { ["tokens"] = random.Next(0, 5000), ["cost_usd"] = Math.Round(random.NextDouble(), 4) };
        }

        return Post("append_message", "agent", $"/v1/runs/{path}/messages", body) with { RunId = runId };
    }

    private FuzzRequest ToolCall()
    {
        var path = RunPath(out var runId);
        var tool = Pick(s_tools);
        JsonNode arguments = tool switch
        {
            "get_order" => new JsonObject { ["order_id"] = $"A{random.Next(100)}" },
            "refund_order" => new JsonObject { ["order_id"] = $"A{random.Next(100)}", ["amount"] = random.Next(4) == 0 ? random.Next(501, 2000) : random.Next(1, 500) },
            "close_account" or "delete_account" => new JsonObject { ["user_id"] = "U1" },
            _ => new JsonObject { ["q"] = mutator.RandomText(5) },
        };
        if (random.Next(10) == 0)
        {
            // Some models send the arguments as a string holding JSON.
            arguments = JsonValue.Create(arguments.ToJsonString());
        }

        var body = new JsonObject
        {
            ["id"] = $"call_{random.Next(0, 400)}",
            ["name"] = tool,
            ["arguments"] = arguments,
        };
        if (random.Next(5) == 0)
        {
            body["parallel_index"] = random.Next(0, 3);
            body["parallel_count"] = random.Next(1, 4);
        }

        return Post("propose_tool_call", "agent", $"/v1/runs/{path}/tool-calls", body) with { RunId = runId };
    }

    private FuzzRequest Close()
    {
        var path = RunPath(out var runId);
        JsonNode? body = random.Next(3) switch
        {
            0 => null,
            1 => new JsonObject(),
            _ => new JsonObject { ["status"] = Pick(["completed", "failed", "stopped", ""]) },
        };
        return Post("close_run", "agent", $"/v1/runs/{path}/close", body) with { RunId = runId };
    }

    private FuzzRequest Decide()
    {
        var path = ApprovalPath(out var approvalId);
        JsonNode? body = random.Next(4) == 0 ? null : new JsonObject { ["note"] = mutator.RandomText(random.Next(0, 60)) };
        var verb = random.Next(2) == 0 ? "approve" : "deny";
        return Post(verb, "operator", $"/v1/approvals/{path}/{verb}", body) with { ApprovalId = approvalId };
    }

    private FuzzRequest CreateKey()
    {
        var role = Pick(["agent", "agent", "operator", "admin", "root", ""]);
        var body = new JsonObject { ["name"] = $"fz-key-{_sequence}", ["role"] = role };
        if (role == "agent" || random.Next(5) == 0)
        {
            body["agent"] = Pick(["refund-desk", "refund-desk", "unknown-agent"]);
        }

        return Post("create_key", "admin", "/v1/keys", body);
    }

    private FuzzRequest RevokeKey()
    {
        var workspace = WorkspaceOf(other: random.Next(4) == 0);
        var id = world.Keys[workspace].Count > 0 && random.Next(4) != 0 ? Pick(world.Keys[workspace]) : Garbage();
        return new FuzzRequest("revoke_key", ClientFor("admin"), HttpMethod.Delete, "/v1/keys/" + Escape(id), null, null, null, "none");
    }

    private FuzzRequest PutBudget()
    {
        var body = new JsonObject
        {
            ["window_seconds"] = Pick([60, 3600, 86_400]),
            ["max_steps"] = random.Next(2) == 0 ? null : random.Next(1_000_000, int.MaxValue),
            ["max_tool_calls"] = random.Next(2) == 0 ? null : random.Next(1_000_000, int.MaxValue),
            ["max_tokens"] = random.Next(2) == 0 ? null : (JsonNode)((long)random.Next(1_000_000, int.MaxValue) * 1000),
            ["max_cost_usd"] = random.Next(2) == 0 ? null : (JsonNode)1_000_000m,
        };
        return Post("put_budget", "admin", "/v1/workspace/budget", body, HttpMethod.Put);
    }

    private FuzzRequest Stray()
    {
        var method = Pick([HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch]);
        var path = Pick([
            "/v1/nothing", "/v1/runs/x/y/z", "/v1/runs/" + Escape(Garbage()) + "/tool-calls", "/v1/keys", "/v1/workspace/budget", "/v1/approvals",
            "/v1/runs", "/v1/", "/v1", "/v1/tools", "/v1/access-log", "/v1/runs/%ff/events", "/v1/runs/%2e%2e/close", "/v2/runs",
        ]);
        var body = random.Next(2) == 0 ? new JsonObject { ["x"] = 1 } : null;
        return Post("stray", Pick(["admin", "agent", "operator"]), path, body, method);
    }

    private FuzzRequest Get(string endpoint, string path) =>
        new(endpoint, ClientFor(endpoint switch
        {
            "list_tools" => "agent",
            "list_approvals" or "get_approval" or "get_budget" => "operator",
            "access_log" => "admin",
            _ => Pick(["agent", "operator", "admin"]),
        }), HttpMethod.Get, path, null, null, null, "none");

    private FuzzRequest Post(string endpoint, string role, string path, JsonNode? body, HttpMethod? method = null)
    {
        var valid = body is null ? [] : Encoding.UTF8.GetBytes(BodyMutator.SerializeValid(body));
        var mutate = random.Next(100) < 50;
        var bytes = mutate ? mutator.Mutate(body?.DeepClone()) : valid;
        var contentType = random.Next(100) < 8 ? Pick(s_contentTypes) : "application/json";
        if (!mutate && body is null && random.Next(2) == 0)
        {
            contentType = null;
        }

        return new FuzzRequest(endpoint, ClientFor(role), method ?? HttpMethod.Post, path, bytes, contentType, IdempotencyKey(),
            mutate ? mutator.LastMutation : contentType is "application/json" or null ? "none" : "content_type")
        { ValidBody = valid };
    }

    private string? IdempotencyKey() => random.Next(100) switch
    {
        < 40 => null,
        < 70 => $"pool-{random.Next(30)}",
        < 92 => $"fz-{random.NextInt64():x}",
        < 96 => new string('k', random.Next(190, 260)),
        _ => Pick(["bad key\u0001", "ключ", "tab\tkey", "\u00e9"]),
    };

    /// <summary>Mostly the role the endpoint needs, sometimes anyone: no key, a bad key, another role, another workspace's key.</summary>
    private FuzzClient ClientFor(string role)
    {
        var roll = random.Next(100);
        var name = roll switch
        {
            < 70 => role switch { "agent" => random.Next(3) == 0 ? "agentA2" : "agentA", "operator" => "operatorA", _ => "adminA" },
            < 80 => role switch { "agent" => "agentB", _ => "adminB" },
            < 84 => "none",
            < 87 => "garbage",
            < 89 => "revoked",
            _ => Pick(world.Clients.Keys.Order(StringComparer.Ordinal).ToList()),
        };
        return world.Clients[name];
    }

    private string RunPath(out string? runId)
    {
        var roll = random.Next(100);
        var workspace = WorkspaceOf(other: roll is >= 80 and < 90);
        runId = roll < 90 && world.Runs[workspace].Count > 0 ? Pick(world.Runs[workspace]) : Garbage();
        return Escape(runId);
    }

    private string ApprovalPath(out string? approvalId)
    {
        var roll = random.Next(100);
        var workspace = WorkspaceOf(other: roll is >= 75 and < 90);
        approvalId = roll < 90 && world.Approvals[workspace].Count > 0 ? Pick(world.Approvals[workspace]) : Garbage();
        return Escape(approvalId);
    }

    private static string WorkspaceOf(bool other) => other ? FuzzWorld.WorkspaceB : FuzzWorld.WorkspaceA;

    private string Garbage() => Pick([
        "no-such-id", "apr_0000000000000000", "run_ffffffffffffffff", "..", ".", "a b", "ü", "%", "x%00y", new string('r', 300), "\ud83d\ude00", "-1", "null",
        "' OR 1=1 --", "<script>", $"fz-run-{random.Next(_sequence + 1)}",
    ]);

    private static string Escape(string id) => Uri.EscapeDataString(id);

    private string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={p.Value}").ToList();
        if (random.Next(20) == 0)
        {
            parts.Add(Pick(["limit=1&limit=2", "after=0&after=1", "x=%ff", "=", "&&", "unknown=1"]));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private string? Limit(int max) => random.Next(100) switch
    {
        < 50 => null,
        < 80 => random.Next(1, max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Pick(["0", "-1", "abc", "99999999999999999999", "1e3", "%20 5", "5.0", max.ToString(System.Globalization.CultureInfo.InvariantCulture), (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "", "+7", "0x10", "%00"]),
    };

    private string? Cursor() => random.Next(100) switch
    {
        < 50 => null,
        < 80 => random.Next(0, 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Pick(["-1", "abc", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1.5", "", "%2D1"]),
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
