using CompressionTasks.Tool.Cli;

return await CliApp.RunAsync(args, new CliContext(Console.Out, Console.Error, TerminalInfo.Detect()));
