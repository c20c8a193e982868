using Vtls.Conformance.External;
using Vtls.Conformance.Running;
using Xunit;

namespace Vtls.Conformance.Xunit;

/// <summary>
/// A theory that needs the external TLS tools (<c>openssl</c>, <c>gnutls-cli</c>/<c>gnutls-serv</c>). Skipped, with
/// the reason, when one is missing; but when <c>VTLS_REQUIRE_EXTERNAL_PEERS=1</c> (CI sets it) it runs, and fails on
/// the missing tool, so that a CI machine without the tools is never green by skipping.
/// </summary>
public sealed class ExternalPeersTheoryAttribute : TheoryAttribute
{
    /// <summary>Marks a theory that needs both external tools.</summary>
    public ExternalPeersTheoryAttribute() => Skip = ExternalPeersFactAttribute.SkipReason();
}

/// <summary>The fact counterpart of <see cref="ExternalPeersTheoryAttribute"/>.</summary>
public sealed class ExternalPeersFactAttribute : FactAttribute
{
    /// <summary>Marks a fact that needs both external tools.</summary>
    public ExternalPeersFactAttribute() => Skip = SkipReason();

    /// <summary>
    /// Why a test needing the external tools must be skipped here, or <see langword="null"/> to run it.
    /// </summary>
    internal static string? SkipReason()
    {
        if (Environment.GetEnvironmentVariable(ConformanceRunner.RequireExternalPeersVariable) == "1")
        {
            return null;
        }

        var missing = new List<string>();
        foreach (var tool in new[] { ExternalTool.OpenSsl, ExternalTool.GnuTls })
        {
            if (!ExternalTlsProcess.IsAvailable(tool, out var reason))
            {
                missing.Add(reason);
            }
        }

        return missing.Count == 0
            ? null
            : "External TLS peer missing (set VTLS_REQUIRE_EXTERNAL_PEERS=1 to fail instead): "
                + string.Join(" ", missing);
    }
}
