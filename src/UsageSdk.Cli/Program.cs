using UsageSdk.Cli;

return await Cli.RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromProcess());
