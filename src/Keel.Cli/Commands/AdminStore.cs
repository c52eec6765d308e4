using Keel.Storage;
using Keel.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>The store as <c>keel workspace</c> and <c>keel key</c> use it: the ports of Core's composition
/// (<c>services.AddKeel()</c> with the backend <see cref="StoreChoice"/> chose), never SQL, so keys made here are the keys
/// <c>keel serve</c> authenticates.</summary>
internal sealed class AdminStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AdminStore(ServiceProvider services) => _services = services;

    /// <summary>Workspaces.</summary>
    public IWorkspaceStore Workspaces => _services.GetRequiredService<IWorkspaceStore>();

    /// <summary>API keys.</summary>
    public IApiKeyStore Keys => _services.GetRequiredService<IApiKeyStore>();

    /// <summary>The version registry.</summary>
    public IVersionRegistry Versions => _services.GetRequiredService<IVersionRegistry>();

    /// <summary>The runs (for the figures beside versions).</summary>
    public IRunStore Runs => _services.GetRequiredService<IRunStore>();

    /// <summary>Which workspace holds an id.</summary>
    public IResourceOwners Owners => _services.GetRequiredService<IResourceOwners>();

    /// <summary>Opens the chosen store and runs <paramref name="action"/> on it, turning the store's failures into exit codes:
    /// a bad choice, or (unless <paramref name="createSqlite"/>) a SQLite file that does not exist, is 2; a store that cannot be
    /// opened, read or written is 3 (the message names the store, never a password).</summary>
    /// <param name="choice">The store.</param>
    /// <param name="createSqlite">Whether a missing SQLite file is created (only <c>keel workspace create</c>).</param>
    /// <param name="console">Where errors go.</param>
    /// <param name="action">The command's work; returns its exit code.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(StoreChoice choice, bool createSqlite, IAnsiConsole console, Func<AdminStore, Task<int>> action)
    {
        if (choice.Validate() is { } error)
        {
            return Fail(console, error, ExitCodes.BadInput);
        }

        if (!choice.IsPostgres && !createSqlite && !File.Exists(choice.DbPath))
        {
            return Fail(console, $"no Keel database at {Path.GetFullPath(choice.DbPath)}; pass --db with the file keel serve uses (or --store postgres).", ExitCodes.BadInput);
        }

        var services = new ServiceCollection();
        choice.Configure(services.AddKeel());
        await using var store = new AdminStore(services.BuildServiceProvider());
        try
        {
            return await action(store);
        }
        catch (StoreException ex)
        {
            return Fail(console, ex.Message, ExitCodes.StoreFailed);
        }
    }

    /// <summary>Prints an error and returns its exit code.</summary>
    /// <param name="console">The console.</param>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="exitCode">The exit code.</param>
    /// <returns><paramref name="exitCode"/>.</returns>
    public static int Fail(IAnsiConsole console, string message, int exitCode)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return exitCode;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
