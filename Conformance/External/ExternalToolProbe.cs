using System.Diagnostics;

namespace Vtls.Conformance.External;

/// <summary>Finds out, once per process, whether each external tool runs.</summary>
internal static class ExternalToolProbe
{
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(5);
    private static readonly Lazy<string?> s_openSsl = new(() => Probe(ExternalCommandLine.OpenSsl, "version"));
    private static readonly Lazy<string?> s_gnuTls = new(() =>
        Probe(ExternalCommandLine.GnuTlsClient, "--version") ?? Probe(ExternalCommandLine.GnuTlsServer, "--version"));

    public static bool IsAvailable(ExternalTool tool, out string reason)
    {
        reason = (tool == ExternalTool.OpenSsl ? s_openSsl : s_gnuTls).Value ?? "";
        return reason.Length == 0;
    }

    /// <summary>Runs <paramref name="program"/> once; null if it ran and exited 0, else why not.</summary>
    private static string? Probe(string program, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return $"{program} could not be started.";
            }

            if (!process.WaitForExit(ProbeBound))
            {
                process.Kill(entireProcessTree: true);
                return $"{program} {argument} did not finish within {ProbeBound.TotalSeconds} s.";
            }

            return process.ExitCode == 0 ? null : $"{program} {argument} exited with {process.ExitCode}.";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            string install = program == ExternalCommandLine.OpenSsl
                ? "apt-get install -y openssl"
                : "apt-get install -y gnutls-bin";
            return $"{program} is not on PATH ({e.Message}); install it: {install}.";
        }
    }
}
