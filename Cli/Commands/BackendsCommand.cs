using System.CommandLine;
using Vtls.Cli.Output;

namespace Vtls.Cli.Commands;

/// <summary><c>vtls backends</c>: the registered TLS backends with their versions and features.</summary>
internal static class BackendsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">Standard streams and backends.</param>
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "backends",
            "List the TLS backends: name (for --backend and VTLS_BACKEND), version and features. Without "
            + "--backend, vtls uses the first of VTLS_BACKEND that is registered, else the first listed here.");
        command.SetAction(_ => Run(context));
        return command;
    }

    private static int Run(CliContext context)
    {
        var table = new TextTable("NAME", "VERSION", "FEATURES");
        foreach (var backend in context.Registry.Backends)
        {
            table.Add(backend.Name, backend.Version, DescribeFeatures(backend.Features));
        }

        table.Write(context.Out);
        return ExitCodes.Clean;
    }

    /// <summary>The features as short lower-case words, for example <c>tls1.2 tls1.3 alpn server</c>.</summary>
    /// <param name="features">The flags.</param>
    public static string DescribeFeatures(TlsFeatures features)
    {
        var words = new List<string>();
        Add(TlsFeatures.Tls12, "tls1.2");
        Add(TlsFeatures.Tls13, "tls1.3");
        Add(TlsFeatures.ServerRole, "server");
        Add(TlsFeatures.Sni, "sni");
        Add(TlsFeatures.Alpn, "alpn");
        Add(TlsFeatures.ClientCertificates, "client-certificates");
        Add(TlsFeatures.HalfClose, "half-close");
        Add(TlsFeatures.KeyLogging, "key-logging");
        return words.Count == 0 ? "-" : string.Join(' ', words);

        void Add(TlsFeatures flag, string word)
        {
            if (features.HasFlag(flag))
            {
                words.Add(word);
            }
        }
    }
}
