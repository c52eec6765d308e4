using System.CommandLine;
using Keel.Cli.Plugins;
using Keel.Composition;
using Keel.Versions;

namespace Keel.Cli.Commands;

/// <summary><c>keel version register|list|diff|validate|release|rollback|retire|history|watch</c>: the version registry (docs/versions.md) against
/// the store directly, like <c>keel workspace</c>; the actions are <see cref="VersionLifecycle"/>'s, applied in one transaction.</summary>
internal static class VersionCommand
{
    private const string Codes = "Exit codes: 0 done; 2 bad input (a bundle that does not load, a share outside 1-100, an invalid version); 3 the store failed; "
        + "6 no such version, agent or workspace; 7 the action does not apply to the version's state (nothing changed).";

    public static Command Create() => new("version", "Agent versions by content hash: register a bundle, validate, release (all or a share of new runs), "
        + "roll back in one step, retire; every change is recorded with who and when in a hash-chained history (docs/versions.md).")
    {
        Register(), List(), Diff(), Validate(), Release(), Rollback(), Retire(), History(), Watch(),
    };

    private static Command Register()
    {
        var bundle = new Argument<string>("bundle") { Description = "The bundle folder (agent.yaml, tools.json, policies.yaml, …) or its agent.yaml." };
        var note = new Option<string?>("--note") { Description = "Why this version exists; recorded with it and in the history." };
        return Build("register", $"""
            Load a bundle, hash the files the loader reads (docs/versions.md), and store them as a draft version. Registering the same content
            again changes nothing and prints the existing version. {Codes}

            Examples:
              keel version register samples/tau-airline
              keel version register ./bundles/refund-desk --note "stricter refund rule" --store postgres
            """, [bundle, note], (o, parse, ct) => VersionRun.RegisterAsync(o, parse.GetValue(bundle)!, parse.GetValue(note), ct), createSqlite: true, plugins: true);
    }

    private static Command List()
    {
        var agent = new Option<string?>("--agent") { Description = "Only this agent's versions." };
        return Build("list", $"""
            List versions per agent, oldest first: hash, bundle label, model, state, share of new runs, created, by, released. {Codes}

            Examples:
              keel version list
              keel version list --agent tau-airline --json
            """, [agent], (o, parse, ct) => VersionRun.ListAsync(o, parse.GetValue(agent), ct));
    }

    private static Command Diff()
    {
        var from = new Argument<string>("A") { Description = "The earlier version: a hash (or a unique prefix of one) or a bundle folder." };
        var to = new Argument<string>("B") { Description = "The later version: a hash (or a unique prefix of one) or a bundle folder." };
        return Build("diff", $"""
            What changed from A to B, in words: prompt lines added and removed, tools added, removed or with a changed schema, policy and
            escalation rules added, removed or changed, budgets, loop guard, handoff, execution settings and the model. {Codes}

            Examples:
              keel version diff sha256:3be0 sha256:91c4
              keel version diff sha256:3be0 ./bundles/tau-airline-next     # a registered version against a folder
            """, [from, to], (o, parse, ct) => VersionRun.DiffAsync(o, parse.GetValue(from)!, parse.GetValue(to)!, ct), plugins: true);
    }

    private static Command Validate()
    {
        var hash = HashArgument();
        return Build("validate", $"""
            Check a draft from its stored files alone (they hash to the version, load as a bundle with every check of the loader, and name
            the version's agent) and mark it validated. {Codes}

            Example:
              keel version validate sha256:3be0
            """, [hash], (o, parse, ct) => VersionRun.ApplyAsync(o, VersionActionKind.Validate, parse.GetValue(hash)!, null, 100, ct), plugins: true);
    }

    private static Command Release()
    {
        var hash = HashArgument();
        var share = new Option<int>("--share") { Description = "The percentage of the agent's new runs it serves, 1-100. Below 100 it is a candidate in a staged rollout beside the stable version (run the command again to widen); 100 makes it stable and retires the one before.", DefaultValueFactory = _ => 100 };
        return Build("release", $"""
            Release a validated version to the agent's new runs: all of them (the default), or a share as a staged rollout. {Codes}

            Examples:
              keel version release sha256:3be0                 # every new run; the previous version is retired
              keel version release sha256:91c4 --share 10      # a 10 % staged rollout: new runs are assigned by run id
              keel version release sha256:91c4 --share 100     # promote the candidate
            """, [hash, share], (o, parse, ct) => VersionRun.ApplyAsync(o, VersionActionKind.Release, parse.GetValue(hash)!, null, parse.GetValue(share), ct));
    }

    private static Command Rollback()
    {
        var agent = new Option<string>("--agent") { Description = "The agent to roll back.", Required = true };
        var to = new Option<string?>("--to") { Description = "The version to serve again (validated or retired). Default: during a staged rollout, the stable version (the candidate is reverted); otherwise the version released before the current one." };
        return Build("rollback", $"""
            One step back, recorded in the history: revert a staged rollout, or retire the stable version and release the previous one again. {Codes}

            Examples:
              keel version rollback --agent tau-airline
              keel version rollback --agent tau-airline --to sha256:3be0
            """, [agent, to], (o, parse, ct) => VersionRun.ApplyAsync(o, VersionActionKind.Rollback, parse.GetValue(to), parse.GetValue(agent)!, 100, ct));
    }

    private static Command Retire()
    {
        var hash = HashArgument();
        return Build("retire", $"""
            Retire a version: it serves no new run (a retired version is served again only through rollback). {Codes}

            Example:
              keel version retire sha256:3be0
            """, [hash], (o, parse, ct) => VersionRun.ApplyAsync(o, VersionActionKind.Retire, parse.GetValue(hash)!, null, 100, ct));
    }

    private static Command History()
    {
        var agent = new Option<string?>("--agent") { Description = "Only this agent's entries (the whole chain is still checked)." };
        return Build("history", $"""
            The workspace's version history, oldest first: every registration and state change with who and when, its hash chain checked.
            Exit code 4 when the chain is broken (an entry changed, removed or reordered in the database); otherwise as the other commands. {Codes}

            Example:
              keel version history --agent tau-airline
            """, [agent], (o, parse, ct) => VersionRun.HistoryAsync(o, parse.GetValue(agent), ct));
    }

    private static Command Watch()
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose released version is watched: its candidate during a staged rollout, otherwise its stable version." };
        var baseline = new Option<string[]>("--baseline", "-b") { Description = "The baseline's recorded run files or folders (any format keel replay reads).", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true };
        var current = new Option<string[]>("--current", "-c") { Description = "The watched version's run files or folders.", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true };
        var triggers = new Option<string?>("--triggers") { Description = "The trigger file (YAML: triggers: [{id, when, action}]). Default: each of the four conditions with action alert." };
        var webhook = HttpUrlOption.Create("--alert-webhook", "POST a Slack-compatible message ({\"text\": ...}) to this URL when a trigger fired.", "https://hooks.slack.com/services/...");
        var dryRun = new Option<bool>("--dry-run") { Description = "Judge the triggers and say what would be done; change nothing and post nothing." };
        var alpha = new Option<double>("--alpha") { Description = "False discovery rate q of the Benjamini-Hochberg correction over all metrics.", DefaultValueFactory = _ => Drift.DriftOptions.DefaultFalseDiscoveryRate };
        var minRuns = new Option<int>("--min-runs") { Description = "Runs each side needs for a metric to be tested; fewer is reported not_enough_runs.", DefaultValueFactory = _ => Drift.DriftOptions.DefaultMinRuns };
        var parallelism = new Option<int>("--parallelism") { Description = "Runs replayed at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        return Build("watch", $"""
            Judge the rollout triggers on the agent's watched version: replay the baseline and current runs under it (its files from the store),
            test the drift metrics together (Benjamini-Hochberg), and for each trigger (clear_regression, high_severity_failures_up,
            approval_boundary_drift, rescue_work_up) say fired, quiet or not_enough_runs. The strongest fired action is applied through the
            registry with actor trigger:<id> (--by is not used): pause_rollout reverts a staged rollout, rollback takes the rollback action; every fired trigger
            alerts. Exit codes: 0 no trigger fired; 10 a trigger fired, alert only (or --dry-run); 11 a trigger fired and its action was
            applied; 2 bad input (a trigger file with errors, runs that do not read); 3 the store failed; 6 no released version of the agent;
            7 the registry refused the action (nothing changed).

            Examples:
              keel version watch tau2-retail --baseline last-week.json --current since-rollout.json --triggers triggers.yaml
              keel version watch tau2-retail -b last-week.json -c since-rollout.json --dry-run --alert-webhook https://hooks.slack.com/services/...
            """, [agent, baseline, current, triggers, webhook, dryRun, alpha, minRuns, parallelism], (o, parse, ct) => VersionWatch.RunAsync(o,
            new VersionWatch.Arguments(parse.GetValue(agent)!, parse.GetValue(baseline)!, parse.GetValue(current)!, parse.GetValue(triggers), parse.GetValue(webhook),
                parse.GetValue(dryRun), parse.GetValue(alpha), parse.GetValue(minRuns), parse.GetValue(parallelism)), ct), plugins: true);
    }

    private static Argument<string> HashArgument() => new("hash") { Description = "The version's hash (sha256:…), or a unique prefix of it, e.g. sha256:3be0." };

    private static Command Build(string name, string description, Symbol[] symbols, Func<VersionOptions, ParseResult, CancellationToken, Task<int>> action, bool createSqlite = false, bool plugins = false)
    {
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace whose versions these are.", DefaultValueFactory = _ => "default" };
        var by = new Option<string?>("--by") { Description = "Who acts, recorded in the history. Default: the operating-system user." };
        var json = new Option<bool>("--json") { Description = "Write the result as JSON (snake_case, like the HTTP API)." };
        var store = new StoreArguments("The SQLite database keel serve uses" + (createSqlite ? "; created when missing" : ""));
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.Options.Add(workspace);
        command.Options.Add(by);
        command.Options.Add(json);
        store.AddTo(command);

        // The commands that load a bundle (register, diff, validate, watch) take --plugin, so kind: custom rules resolve as in keel serve.
        var pluginOptions = plugins ? new PluginOptions(command) : null;
        command.SetAction((parse, ct) =>
        {
            var composition = PluginComposition.None;
            if (pluginOptions is not null && !pluginOptions.TryCompose(parse, Spectre.Console.AnsiConsole.Console, out composition))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return action(new VersionOptions(store.Read(parse), parse.GetValue(workspace)!, parse.GetValue(by) ?? Environment.UserName, parse.GetValue(json), createSqlite)
            {
                Components = composition!.Components,
            }, parse, ct);
        });
        return command;
    }
}

/// <summary>The options every <c>keel version</c> command takes.</summary>
/// <param name="Store">The store.</param>
/// <param name="Workspace">The workspace.</param>
/// <param name="Actor">Who acts.</param>
/// <param name="Json">Whether to write JSON.</param>
/// <param name="CreateSqlite">Whether a missing SQLite file is created (only <c>register</c>).</param>
internal sealed record VersionOptions(StoreChoice Store, string Workspace, string Actor, bool Json, bool CreateSqlite)
{
    /// <summary>The composition whose C# policies bundles load with: Keel's standard set, plus the <c>--plugin</c> assemblies' where the command takes them.</summary>
    public KeelComponents Components { get; init; } = KeelComponents.Standard;
}
