namespace Vtls.Cli;

/// <summary>The backends that ship with Vtls, registered for the command line.</summary>
internal static class BackendSetup
{
    /// <summary>
    /// A registry holding every shipped backend, in the order <c>vtls</c> prefers them when neither
    /// <c>--backend</c> nor <c>VTLS_BACKEND</c> chooses.
    /// </summary>
    public static TlsBackendRegistry CreateRegistry() =>
        new TlsBackendRegistry()
            .Register(Vtls.Providers.SslStream.SslStreamBackend.Instance)
            .Register(Vtls.Providers.BouncyCastle.BouncyCastleBackend.Instance);
}
