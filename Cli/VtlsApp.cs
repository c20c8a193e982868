using System.CommandLine;
using System.CommandLine.Invocation;
using Vtls.Cli.Commands;

namespace Vtls.Cli;

/// <summary>The <c>vtls</c> command line: its commands, and the entry that runs one.</summary>
internal static class VtlsApp
{
    /// <summary>Builds the command tree over <paramref name="context"/>.</summary>
    /// <param name="context">Standard streams and backends.</param>
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "vtls: pluggable TLS backends for .NET, judged by how they end connections. Run the conformance "
            + "matrix, or talk TLS like openssl s_client/s_server with any backend.");
        var help = new NotedHelpAction();
        root.Subcommands.Add(ConformanceCommand.Create(context, help));
        root.Subcommands.Add(BackendsCommand.Create(context));
        root.Subcommands.Add(ConnectCommand.Create(context, help));
        root.Subcommands.Add(ServeCommand.Create(context, help));
        help.InstallOn(root);
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="context">Standard streams and backends.</param>
    /// <param name="cancellationToken">Interrupts the command (as Ctrl-C does).</param>
    /// <returns>The exit code; 2 for a command line that does not parse.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parse = CreateRootCommand(context).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                context.Fail(error.Message);
            }

            context.Error.WriteLine("Run 'vtls --help' or 'vtls COMMAND --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = true,
            ProcessTerminationTimeout = context.HandlesTermination ? TimeSpan.FromSeconds(5) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
