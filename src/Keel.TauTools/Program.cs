using Keel.TauTools.Cli;

return await TauToolsCommand.Create().Parse(args).InvokeAsync();
