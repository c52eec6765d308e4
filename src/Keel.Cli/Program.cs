using Keel.Cli.Commands;

return await KeelCommand.InvokeAsync(args).ConfigureAwait(false);
