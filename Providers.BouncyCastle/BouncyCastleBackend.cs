using System.Reflection;

namespace Vtls.Providers.BouncyCastle;

/// <summary>
/// The <c>bouncycastle</c> backend: TLS 1.2 and 1.3 from BouncyCastle's <c>Org.BouncyCastle.Tls</c>, driven in its
/// non-blocking mode so that it fits the filter contract without threads or blocking calls.
/// </summary>
/// <remarks>
/// BouncyCastle checks neither the certificate chain nor the host name; the filters do both with
/// <see cref="CertificateVerifier"/>, so a certificate gets the same verdict here as with every other backend.
/// </remarks>
public sealed class BouncyCastleBackend : ITlsBackend
{
    private BouncyCastleBackend()
    {
        var assembly = typeof(Org.BouncyCastle.Tls.TlsProtocol).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        Version = $"BouncyCastle.Cryptography {version}";
    }

    /// <summary>The one instance; register it with <see cref="TlsBackendRegistry.Register"/>.</summary>
    public static BouncyCastleBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "bouncycastle";

    /// <inheritdoc/>
    public string Version { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="TlsFeatures.HalfClose"/>: close_notify is sent through the protocol's alert path without closing
    /// it, so records keep being read after it until the peer's close_notify.
    /// </remarks>
    public TlsFeatures Features =>
        TlsFeatures.Tls12
        | TlsFeatures.Tls13
        | TlsFeatures.Alpn
        | TlsFeatures.Sni
        | TlsFeatures.ClientCertificates
        | TlsFeatures.ServerRole
        | TlsFeatures.HalfClose;

    /// <inheritdoc/>
    public TlsFilter CreateClient(ConnectionFilter lower, TlsOptions options) =>
        new BouncyCastleFilter(TlsRole.Client, lower, options);

    /// <inheritdoc/>
    public TlsFilter CreateServer(ConnectionFilter lower, TlsOptions options) =>
        new BouncyCastleFilter(TlsRole.Server, lower, options);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Version})";
}
