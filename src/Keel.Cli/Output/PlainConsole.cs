using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>The console <c>keel</c> writes to when its output is redirected: no ANSI codes, no colours, not interactive, and wide,
/// so a message stays on one line for <c>grep</c>.</summary>
internal static class PlainConsole
{
    /// <summary>The width, in characters, lines may reach before Spectre.Console wraps them.</summary>
    public const int Width = 4096;

    /// <summary>Creates a plain console over <paramref name="writer"/>.</summary>
    /// <param name="writer">Where output goes, e.g. <see cref="Console.Out"/>.</param>
    /// <returns>The console.</returns>
    public static IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Width;
        return console;
    }
}
