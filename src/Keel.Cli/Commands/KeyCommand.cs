using System.CommandLine;
using Keel.Cli.Output;
using Keel.Tenancy;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel key create|list|revoke</c>, against the store directly: a lost admin key is replaced by whoever can reach the
/// database (docs/administration.md). Keys are made by the store port the server authenticates with, so they work at once.</summary>
internal static class KeyCommand
{
    public static Command Create() => new("key", "Create, list and revoke API keys in the store, without a running server or a key; "
        + "for a platform administrator who can reach the database (e.g. to replace a lost admin key).")
    {
        CreateCommand(),
        ListCommand(),
        RevokeCommand(),
    };

    private static Command CreateCommand()
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace the key acts in ('keel workspace list' shows them).", Required = true };
        var role = new Option<string>("--role") { Description = $"What the key may do: {KeelRoles.Names} (docs/gateway-api.md).", Required = true };
        var name = new Option<string?>("--name") { Description = "Who or what holds the key, e.g. alice or airline-bot; recorded as the decider of approvals. Default: the role." };
        var agent = new Option<string?>("--agent") { Description = "For --role agent (and only then): the agent the key acts for, an agent keel serve governs (its bundle's name)." };
        var json = new Option<bool>("--json") { Description = "Write the new key as JSON (snake_case, like the HTTP API), its text included." };
        var store = new StoreArguments("The SQLite database keel serve uses");
        var command = new Command("create", $"""
            Create an API key and print it once: only its SHA-256 is stored, so it cannot be shown again. A running keel serve on the same
            store accepts it at once. Exit codes: 0 created; 2 bad input or no such database file; 3 the store failed; {ExitCodes.NotFound} no such workspace.

            Examples:
              keel key create --workspace default --role platform_admin --name ops     # replace a lost bootstrap key
              keel key create -w acme --role admin --name alice --db /var/lib/keel/keel.db
              keel key create -w acme --role agent --agent tau-airline --name airline-bot --store postgres
            """)
        {
            workspace, role, name, agent, json,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => CreateAsync(
            store.Read(parse), parse.GetValue(workspace)!, parse.GetValue(role)!, parse.GetValue(name), parse.GetValue(agent), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static Command ListCommand()
    {
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Only this workspace's keys (default: every workspace's)." };
        var json = new Option<bool>("--json") { Description = "Write the keys as a JSON array of {id, workspace_id, name, role, agent, created_at, revoked_at}." };
        var store = new StoreArguments("The SQLite database keel serve uses");
        var command = new Command("list", $"""
            List keys, never their secrets: id, workspace, role, name, agent, created and revoked (UTC), oldest first per workspace.
            Keel does not record when a key was last used. Exit codes: 0; 2 bad input; 3 the store failed; {ExitCodes.NotFound} no such workspace.

            Examples:
              keel key list
              keel key list --workspace acme --json
            """)
        {
            workspace, json,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => ListAsync(store.Read(parse), parse.GetValue(workspace), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static Command RevokeCommand()
    {
        var keyId = new Argument<string>("key-id") { Description = "The key id (the 12 hex digits after keel_, as 'keel key list' shows it), or the whole key." };
        var store = new StoreArguments("The SQLite database keel serve uses");
        var command = new Command("revoke", $"""
            Revoke a key in whichever workspace holds it; it stops working at once, also on a running keel serve.
            Exit codes: 0 revoked; 2 bad input; 3 the store failed; {ExitCodes.NotFound} no such key; {ExitCodes.Conflict} already revoked (nothing changed).

            Examples:
              keel key revoke 3f9a0c1d2e4b
              keel key revoke 3f9a0c1d2e4b --store postgres --connection "Host=db;Username=keel;Database=keel"
            """)
        {
            keyId,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => RevokeAsync(store.Read(parse), parse.GetValue(keyId)!, cancellationToken));
        return command;
    }

    internal static Task<int> CreateAsync(StoreChoice choice, string workspace, string roleName, string? name, string? agent, bool json, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (!KeelRoles.TryParse(roleName, out var role))
        {
            return Task.FromResult(AdminStore.Fail(console, $"--role '{roleName}' is not a role; use one of {KeelRoles.Names}.", ExitCodes.BadInput));
        }

        if (KeelRoles.CheckAgent(role, agent) is { } wrongAgent)
        {
            return Task.FromResult(AdminStore.Fail(console, role == KeelRole.Agent ? $"{wrongAgent}: pass --agent <name>." : $"{wrongAgent}: drop --agent.", ExitCodes.BadInput));
        }

        name = string.IsNullOrWhiteSpace(name) ? roleName : name.Trim();
        if (name.Length > 200)
        {
            return Task.FromResult(AdminStore.Fail(console, "--name is 1 to 200 characters.", ExitCodes.BadInput));
        }

        return AdminStore.RunAsync(choice, createSqlite: false, console, async store =>
        {
            if (!await store.Workspaces.WorkspaceExistsAsync(workspace, cancellationToken))
            {
                return AdminStore.Fail(console, $"no workspace '{workspace}' in {choice.Describe()}; create it with 'keel workspace create' or list them with 'keel workspace list'.", ExitCodes.NotFound);
            }

            var (record, key) = await store.Keys.CreateKeyAsync(workspace, name, role, agent, cancellationToken);
            if (json)
            {
                AdminOutput.Json(console, CreatedKeyJson.From(record, key));
                return ExitCodes.Ok;
            }

            console.MarkupLineInterpolated($"Created key {record.Id} ({record.Name}, {KeelRoles.Name(role)}{(agent is null ? "" : $" of agent {agent}")}) in workspace '{workspace}'.");
            AdminOutput.Secret(console, "The key", key);
            return ExitCodes.Ok;
        });
    }

    internal static Task<int> ListAsync(StoreChoice choice, string? workspace, bool json, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return AdminStore.RunAsync(choice, createSqlite: false, console, async store =>
        {
            var workspaces = (await store.Workspaces.ListWorkspacesAsync(cancellationToken)).Select(w => w.Id).ToList();
            if (workspace is not null)
            {
                if (!workspaces.Contains(workspace))
                {
                    return AdminStore.Fail(console, $"no workspace '{workspace}' in {choice.Describe()}; list them with 'keel workspace list'.", ExitCodes.NotFound);
                }

                workspaces = [workspace];
            }

            var keys = new List<ApiKey>();
            foreach (var id in workspaces)
            {
                keys.AddRange(await store.Keys.ListKeysAsync(id, cancellationToken));
            }

            if (json)
            {
                AdminOutput.Json<IReadOnlyList<KeyJson>>(console, [.. keys.Select(KeyJson.From)]);
            }
            else
            {
                AdminOutput.Table(console, ["id", "workspace", "role", "name", "agent", "created", "revoked"], keys.Select(k => new[]
                {
                    k.Id, k.WorkspaceId, KeelRoles.Name(k.Role), k.Name, k.Agent ?? "-", AdminOutput.Time(k.CreatedAt), AdminOutput.Time(k.RevokedAt),
                }));
            }

            return ExitCodes.Ok;
        });
    }

    internal static Task<int> RevokeAsync(StoreChoice choice, string keyId, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        if (ApiKeySecret.TryParse(keyId, out var parsedId, out _))
        {
            keyId = parsedId;
        }

        return AdminStore.RunAsync(choice, createSqlite: false, console, async store =>
        {
            if (await store.Keys.FindKeyAsync(store.Owners, keyId, cancellationToken) is not { } key)
            {
                return AdminStore.Fail(console, $"no key '{keyId}' in {choice.Describe()}; list them with 'keel key list'.", ExitCodes.NotFound);
            }

            if (key.RevokedAt is { } revokedAt)
            {
                return AdminStore.Fail(console, $"key {key.Id} ({key.Name}) of workspace '{key.WorkspaceId}' was already revoked at {AdminOutput.Time(revokedAt)}; nothing was changed.", ExitCodes.Conflict);
            }

            await store.Keys.RevokeKeyAsync(key.WorkspaceId, key.Id, cancellationToken);
            console.MarkupLineInterpolated($"Revoked key {key.Id} ({key.Name}, {KeelRoles.Name(key.Role)}) of workspace '{key.WorkspaceId}'; it stops working at once.");
            return ExitCodes.Ok;
        });
    }
}
