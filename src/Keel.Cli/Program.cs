using Keel.Cli.Commands;
using Keel.Cli.Output;

// Redirected to a file or a pipe, output is plain: no colours or control codes, and lines are not wrapped at 80 columns.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Console = PlainConsole.Create(Console.Out);
}

return await KeelCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
