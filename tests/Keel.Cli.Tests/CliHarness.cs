using Keel.Cli.Commands;
using Spectre.Console;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>The CLI writes to the process-wide <see cref="AnsiConsole.Console"/>, so its tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliSerial
{
    public const string Name = "keel CLI";
}

/// <summary>Redirects <see cref="AnsiConsole.Console"/> to a wide, colourless, non-interactive writer while alive.</summary>
internal sealed class CapturedConsole : IDisposable
{
    private readonly IAnsiConsole _previous = AnsiConsole.Console;
    private readonly StringWriter _out = new();

    public CapturedConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_out),
        });
        console.Profile.Width = 1000;
        AnsiConsole.Console = console;
    }

    public string Text => _out.ToString();

    public void Dispose()
    {
        AnsiConsole.Console = _previous;
        _out.Dispose();
    }
}

/// <summary>Paths in the Keel checkout.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> _root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Keel.slnx above {AppContext.BaseDirectory}: run the tests from a Keel checkout");
    });

    public static string Root => _root.Value;

    public static string AirlineBundle => Path.Combine(_root.Value, "samples", "tau-airline");

    public static string AirlineRuns => Path.Combine(_root.Value, "samples", "runs", "tau-bench", "gpt-4o-airline.json");

    public static string BfclBundle => Path.Combine(_root.Value, "samples", "bfcl");

    public static string BfclResults => Path.Combine(_root.Value, "samples", "runs", "bfcl", "model_results", "glyphh-ada-1.1");
}

/// <summary>Runs <c>keel</c> in the test process.</summary>
internal static class CliRun
{
    /// <summary>Runs <c>keel</c> in-process; returns the exit code, what it printed on the console, and its stderr (progress).</summary>
    public static async Task<(int Exit, string Text, string Stderr)> KeelAsync(params string[] args)
    {
        using var console = new CapturedConsole();
        using var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        try
        {
            var exit = await KeelCommand.Create().Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
            return (exit, console.Text, stderr.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
