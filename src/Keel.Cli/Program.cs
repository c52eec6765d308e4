using Keel.Cli.Commands;
using Keel.Cli.Output;

KeelConsole.UseStandardOutput();
return await KeelCommand.InvokeAsync(args).ConfigureAwait(false);
