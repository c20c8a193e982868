using Vtls.Cli;

return await VtlsApp.RunAsync(args, CliContext.ForProcess(), CancellationToken.None);
