using Keel.Bundles;
using Keel.Cli.Output;
using Keel.Model;
using Keel.Versions;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>What the <c>keel version</c> commands do, on the store <see cref="AdminStore"/> opens.</summary>
internal static class VersionRun
{
    public static Task<int> RegisterAsync(VersionOptions options, string bundle, string? note, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        AgentVersion agent;
        BundleContent content;
        try
        {
            (agent, content) = BundleContent.Read(bundle, options.Components.PolicyOptions());
        }
        catch (BundleLoadException ex)
        {
            return Task.FromResult(AdminStore.Fail(console, $"{bundle} is not a valid bundle, nothing was registered:{Environment.NewLine}{ex.Message}", ExitCodes.BadInput));
        }

        return RunAsync(options, console, async store =>
        {
            var (record, created) = await store.Versions.RegisterVersionAsync(options.Workspace, agent, content, options.Actor, note, cancellationToken);
            if (options.Json)
            {
                VersionOutput.Json(console, new VersionRegisteredJson(created, VersionJson.From(record), [.. content.Files.Select(f => f.Path)]));
            }
            else
            {
                console.Profile.Out.Writer.WriteLine(created
                    ? $"Registered {record.Agent} {record.Hash} ({record.Label}, {content.Files.Count} files: {string.Join(", ", content.Files.Select(f => f.Path))}) as a draft."
                    : $"{record.Agent} {record.Hash} is already registered ({VersionRecord.StateName(record.State)}); nothing was changed.");
                if (created)
                {
                    console.Profile.Out.Writer.WriteLine($"Next: keel version validate {record.Hash}");
                }
            }

            return ExitCodes.Ok;
        });
    }

    public static Task<int> ListAsync(VersionOptions options, string? agent, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return RunAsync(options, console, async store =>
        {
            var versions = await store.Versions.ListVersionsAsync(options.Workspace, agent, cancellationToken);
            var figures = await VersionFigures.LoadAsync(store.Runs, options.Workspace, [.. versions.Select(v => v.Hash)], cancellationToken);
            if (options.Json)
            {
                VersionOutput.Json<IReadOnlyList<VersionJson>>(console, [.. versions.Select(v => VersionJson.From(v) with
                {
                    Workflows = figures.TryGetValue(v.Hash, out var of) ? [.. of.Select(WorkflowFiguresJson.From)] : [],
                })]);
            }
            else
            {
                VersionOutput.Table(console, versions, figures);
            }

            return ExitCodes.Ok;
        });
    }

    public static Task<int> DiffAsync(VersionOptions options, string from, string to, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return RunAsync(options, console, async store =>
        {
            var before = await ContentAsync(store, options, from, cancellationToken);
            var after = await ContentAsync(store, options, to, cancellationToken);
            if (before.Error is not null)
            {
                return AdminStore.Fail(console, before.Error, before.Code);
            }

            if (after.Error is not null)
            {
                return AdminStore.Fail(console, after.Error, after.Code);
            }

            var changes = VersionDiff.Compare((before.Agent!, before.Content!), (after.Agent!, after.Content!));
            if (options.Json)
            {
                VersionOutput.Json(console, new VersionDiffJson(before.Content!.Hash, after.Content!.Hash, [.. changes.Select(c => new VersionChangeJson(c.Area, c.Text))]));
                return ExitCodes.Ok;
            }

            var writer = console.Profile.Out.Writer;
            writer.WriteLine($"{before.Content!.Hash} → {after.Content!.Hash}: {(changes.Count == 0 ? "no change" : $"{changes.Count} change(s)")}");
            foreach (var change in changes)
            {
                writer.WriteLine($"  {change.Area,-10} {change.Text}");
            }

            return ExitCodes.Ok;
        });
    }

    public static Task<int> ApplyAsync(VersionOptions options, VersionActionKind kind, string? hash, string? agent, int share, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return RunAsync(options, console, async store =>
        {
            var outcome = await VersionOperations.ApplyAsync(store.Versions, options.Workspace, kind, hash, agent, options.Actor, share, options.Components.PolicyOptions(), cancellationToken);
            if (!outcome.Succeeded)
            {
                return AdminStore.Fail(console, outcome.Message! + " Nothing was changed.", Code(outcome.Error!.Value));
            }

            VersionOutput.Outcome(console, outcome, options.Json);
            return ExitCodes.Ok;
        });
    }

    public static Task<int> HistoryAsync(VersionOptions options, string? agent, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        return RunAsync(options, console, async store =>
        {
            var history = await store.Versions.ListVersionHistoryAsync(options.Workspace, cancellationToken);
            var shown = history.Where(e => agent is null || e.Agent == agent).ToList();
            if (options.Json)
            {
                VersionOutput.Json<IReadOnlyList<VersionEventJson>>(console, [.. shown.Select(VersionEventJson.From)]);
            }
            else
            {
                AdminOutput.Table(console, ["#", "at", "agent", "action", "by", "detail"], shown.Select(e => new[] { e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), AdminOutput.Time(e.At), e.Agent, e.Action, e.Actor, e.Detail }));
            }

            var problems = VersionHistory.Verify(options.Workspace, history);
            if (problems.Count == 0)
            {
                return ExitCodes.Ok;
            }

            // With --json, stdout holds only the JSON document: the problems go to stderr.
            var text = string.Join(Environment.NewLine, problems);
            if (options.Json)
            {
                Console.Error.WriteLine($"error: {text}");
                return ExitCodes.Tampered;
            }

            return AdminStore.Fail(console, text, ExitCodes.Tampered);
        });
    }

    /// <summary>Opens the store, checks the workspace exists and runs <paramref name="action"/>.</summary>
    internal static Task<int> RunAsync(VersionOptions options, IAnsiConsole console, Func<AdminStore, Task<int>> action) =>
        AdminStore.RunAsync(options.Store, options.CreateSqlite, console, async store =>
        {
            if (options.Workspace != Workspace.Default.Id && !await store.Workspaces.WorkspaceExistsAsync(options.Workspace))
            {
                return AdminStore.Fail(console, $"no workspace '{options.Workspace}' in {options.Store.Describe()}; 'keel workspace list' shows them.", ExitCodes.NotFound);
            }

            return await action(store);
        });

    private static async Task<Side> ContentAsync(AdminStore store, VersionOptions options, string text, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(text) || File.Exists(text))
            {
                var (agent, content) = BundleContent.Read(text, options.Components.PolicyOptions());
                return new Side(agent, content, null, ExitCodes.Ok);
            }

            var side = await VersionOperations.LoadAsync(store.Versions, options.Workspace, text, options.Components.PolicyOptions(), cancellationToken);
            return side.Error is { } error
                ? new Side(null, null, side.Message, side.StoreDamaged ? ExitCodes.StoreFailed : Code(error))
                : new Side(side.Agent, side.Content, null, ExitCodes.Ok);
        }
        catch (BundleLoadException ex)
        {
            return new Side(null, null, $"{text} does not load as a bundle:{Environment.NewLine}{ex.Message}", ExitCodes.BadInput);
        }
    }

    /// <summary>The exit code of a refusal.</summary>
    internal static int Code(VersionErrorKind error) => error switch
    {
        VersionErrorKind.NotFound => ExitCodes.NotFound,
        VersionErrorKind.Conflict => ExitCodes.Conflict,
        _ => ExitCodes.BadInput,
    };

    /// <summary>One side of a diff: the version and its content, or why it could not be read.</summary>
    private sealed record Side(AgentVersion? Agent, BundleContent? Content, string? Error, int Code);
}
