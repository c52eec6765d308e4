using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>The consoles the keel command writes to. Output that goes to a file or a pipe is plain text: no ANSI escape codes, no colour,
/// no line wrapping (so a <c>file:line:column:</c> diagnostic stays on one line and can be read by another program). Progress bars go to
/// stderr, and only when stderr is a terminal. A non-empty <c>NO_COLOR</c> turns colour off everywhere (https://no-color.org).</summary>
internal static class KeelConsole
{
    /// <summary>The width, in columns, of a console that writes to a file or a pipe: wide enough that no line wraps.</summary>
    internal const int UnboundedWidth = 1 << 16;

    /// <summary>Whether colour is turned off: <c>NO_COLOR</c> is set to any non-empty value (https://no-color.org).</summary>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    public static bool NoColor(Func<string, string?> environment) => !string.IsNullOrEmpty(environment("NO_COLOR"));

    /// <summary>The settings of a console writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="isTerminal">Whether <paramref name="writer"/> is a terminal; <see langword="false"/> for a file or a pipe.</param>
    /// <param name="noColor">Whether colour is turned off (<see cref="NoColor"/>).</param>
    public static AnsiConsoleSettings Settings(TextWriter writer, bool isTerminal, bool noColor) => new()
    {
        Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = isTerminal && !noColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        Out = new AnsiConsoleOutput(writer),
    };

    /// <summary>Creates a console writing to <paramref name="writer"/>: plain and unwrapped unless it is a terminal, colourless when
    /// <paramref name="noColor"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="isTerminal">Whether <paramref name="writer"/> is a terminal.</param>
    /// <param name="noColor">Whether colour is turned off.</param>
    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, bool noColor)
    {
        var console = AnsiConsole.Create(Settings(writer, isTerminal, noColor));
        if (!isTerminal)
        {
            console.Profile.Width = UnboundedWidth;
        }

        return console;
    }

    /// <summary>Makes <see cref="AnsiConsole.Console"/>, which every command writes its output to, follow the process's stdout and <c>NO_COLOR</c>.</summary>
    public static void UseStandardOutput() =>
        AnsiConsole.Console = Create(Console.Out, !Console.IsOutputRedirected, NoColor(Environment.GetEnvironmentVariable));

    /// <summary>The console progress bars are drawn on: stderr when it is a terminal, otherwise <see langword="null"/> (no progress is shown).</summary>
    public static IAnsiConsole? ForProgress() =>
        Console.IsErrorRedirected ? null : Create(Console.Error, isTerminal: true, NoColor(Environment.GetEnvironmentVariable));
}
