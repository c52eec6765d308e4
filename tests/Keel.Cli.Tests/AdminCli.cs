using System.Text.RegularExpressions;
using Keel.Cli.Commands;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>Runs <c>keel</c> in-process on a SQLite file in a temp folder and captures what it prints.</summary>
internal sealed partial class AdminCli : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keel-admin-cli-");

    public string DbPath => Path.Combine(_dir.FullName, "keel.db");

    /// <summary>Runs <c>keel</c> with <paramref name="args"/> and <c>--db</c> pointing at <see cref="DbPath"/>.</summary>
    public async Task<(int Exit, string Text)> RunAsync(params string[] args)
    {
        using var console = new CapturedConsole();
        var exit = await KeelCommand.Create().Parse([.. args, "--db", DbPath]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        return (exit, console.Text);
    }

    /// <summary>The key text in <paramref name="text"/> (<c>keel_&lt;id&gt;_&lt;secret&gt;</c>), on a line of its own.</summary>
    public static string KeyIn(string text) => KeyLine().Match(text) is { Success: true } m ? m.Value : throw new InvalidOperationException("no key in: " + text);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [GeneratedRegex(@"(?m)^keel_[0-9a-f]{12}_[A-Za-z0-9_-]+$")]
    private static partial Regex KeyLine();
}
