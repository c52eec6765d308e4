using System.CommandLine;
using Keel.Cli.Output;
using Keel.Model;
using Keel.Tenancy;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel workspace create &lt;name&gt; [--id &lt;id&gt;]</c> and <c>keel workspace list</c>, against the store directly: whoever
/// reaches the database administers Keel without a key and without SQL (docs/administration.md).</summary>
internal static class WorkspaceCommand
{
    public static Command Create() => new("workspace", "Create and list workspaces (tenants) in the store, without a running server or a key; "
        + "for a platform administrator who can reach the database. Over HTTP, a platform_admin key does the same with POST/GET /v1/workspaces.")
    {
        CreateCommand(),
        ListCommand(),
    };

    private static Command CreateCommand()
    {
        var name = new Argument<string>("name") { Description = $"The workspace's display name (1 to {WorkspaceIds.MaxNameLength} characters)." };
        var id = new Option<string?>("--id") { Description = $"The workspace id ({WorkspaceIds.Rule}). Default: made from the name, e.g. 'Acme Support' → acme-support." };
        var json = new Option<bool>("--json") { Description = "Write the workspace and its admin key as JSON (snake_case, like the HTTP API)." };
        var store = new StoreArguments("The SQLite database keel serve uses; created when missing");
        var command = new Command("create", $"""
            Create a workspace and its first key (role admin, name 'admin'), printed once: hand it to the workspace's administrator, who
            makes agent and operator keys with it (POST /v1/keys). Exit codes: 0 created; 2 bad input; 3 the store failed; {ExitCodes.Conflict} the id exists (nothing changed).

            Examples:
              keel workspace create "Acme Support"                  # id acme-support, in ./keel.db
              keel workspace create Acme --id acme-eu --db /var/lib/keel/keel.db
              keel workspace create Acme --store postgres --json    # connection from $KEEL_POSTGRES_CONNECTION
            """)
        {
            name, id, json,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => CreateAsync(store.Read(parse), parse.GetValue(name)!, parse.GetValue(id), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static Command ListCommand()
    {
        var json = new Option<bool>("--json") { Description = "Write the workspaces as a JSON array of {id, name, created_at}." };
        var store = new StoreArguments("The SQLite database keel serve uses");
        var command = new Command("list", """
            List every workspace, oldest first: id, name, created (UTC). A table on a terminal; tab-separated lines with a header when redirected.

            Examples:
              keel workspace list
              keel workspace list --db /var/lib/keel/keel.db --json
            """)
        {
            json,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => ListAsync(store.Read(parse), parse.GetValue(json), cancellationToken));
        return command;
    }

    internal static Task<int> CreateAsync(StoreChoice choice, string name, string? id, bool json, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        name = name.Trim();
        if (name.Length is 0 or > WorkspaceIds.MaxNameLength)
        {
            return Task.FromResult(AdminStore.Fail(console, $"the workspace name is 1 to {WorkspaceIds.MaxNameLength} characters.", ExitCodes.BadInput));
        }

        id ??= WorkspaceIds.FromName(name);
        if (id is null)
        {
            return Task.FromResult(AdminStore.Fail(console, $"the name '{name}' has no ASCII letter or digit to make an id from; pass --id ({WorkspaceIds.Rule}).", ExitCodes.BadInput));
        }

        if (!WorkspaceIds.IsValid(id))
        {
            return Task.FromResult(AdminStore.Fail(console, $"--id '{id}' is not a workspace id: {WorkspaceIds.Rule}.", ExitCodes.BadInput));
        }

        return AdminStore.RunAsync(choice, createSqlite: true, console, async store =>
        {
            if (await store.Workspaces.CreateWorkspaceAsync(new Workspace(id, name), cancellationToken) is not { } key)
            {
                return AdminStore.Fail(console, $"a workspace with the id '{id}' already exists; nothing was changed. Choose another --id, or list them with 'keel workspace list'.", ExitCodes.Conflict);
            }

            var created = (await store.Workspaces.FindWorkspaceAsync(id, cancellationToken))!;
            var admin = (await store.Keys.ListKeysAsync(id, cancellationToken))[0];
            if (json)
            {
                AdminOutput.Json(console, new CreatedWorkspaceJson(id, name, created.CreatedAt, CreatedKeyJson.From(admin, key)));
                return ExitCodes.Ok;
            }

            console.MarkupLineInterpolated($"Created workspace '{id}' ({name}) in {choice.Describe()}.");
            AdminOutput.Secret(console, $"Its admin key ({admin.Id})", key);
            return ExitCodes.Ok;
        });
    }

    internal static Task<int> ListAsync(StoreChoice choice, bool json, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return AdminStore.RunAsync(choice, createSqlite: false, console, async store =>
        {
            var workspaces = await store.Workspaces.ListWorkspacesAsync(cancellationToken);
            if (json)
            {
                AdminOutput.Json<IReadOnlyList<WorkspaceJson>>(console, [.. workspaces.Select(w => new WorkspaceJson(w.Id, w.Name, w.CreatedAt))]);
            }
            else
            {
                AdminOutput.Table(console, ["id", "name", "created"], workspaces.Select(w => new[] { w.Id, w.Name, AdminOutput.Time(w.CreatedAt) }));
            }

            return ExitCodes.Ok;
        });
    }
}
