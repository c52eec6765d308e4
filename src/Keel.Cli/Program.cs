using Keel.Cli.Commands;

return await KeelCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
