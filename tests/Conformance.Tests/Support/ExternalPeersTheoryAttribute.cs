using Vtls.Conformance.External;

namespace Vtls.Tests.Support;

/// <summary>
/// A theory that needs both external tools (openssl, gnutls-cli/gnutls-serv). Skipped with the reason when one is
/// missing, unless VTLS_REQUIRE_EXTERNAL_PEERS=1 (CI sets it): then it runs and fails on the missing tool.
/// </summary>
internal sealed class ExternalPeersTheoryAttribute : TheoryAttribute
{
    public ExternalPeersTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("VTLS_REQUIRE_EXTERNAL_PEERS") == "1")
        {
            return;
        }

        var missing = new List<string>();
        foreach (var tool in new[] { ExternalTool.OpenSsl, ExternalTool.GnuTls })
        {
            if (!ExternalTlsProcess.IsAvailable(tool, out var reason))
            {
                missing.Add(reason);
            }
        }

        if (missing.Count > 0)
        {
            Skip = "External TLS peer missing (set VTLS_REQUIRE_EXTERNAL_PEERS=1 to fail instead): "
                + string.Join(" ", missing);
        }
    }
}
