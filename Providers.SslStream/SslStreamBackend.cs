using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vtls.Providers.SslStream;

/// <summary>
/// The <c>sslstream</c> backend: TLS by the platform through <see cref="System.Net.Security.SslStream"/>
/// (OpenSSL on Linux), driven without blocking by <see cref="SslStreamFilter"/>.
/// </summary>
/// <example>
/// <code>
/// TlsBackendRegistry.Default.Register(SslStreamBackend.Instance);
/// </code>
/// </example>
public sealed class SslStreamBackend : ITlsBackend
{
    /// <summary>The backend's registered name.</summary>
    public const string BackendName = "sslstream";

    private SslStreamBackend()
    {
    }

    /// <summary>The backend; it holds no state of its own, so one instance serves every connection.</summary>
    public static SslStreamBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    /// <remarks>For example <c>SslStream/.NET 10.0.12 (OpenSSL 3.0.19)</c>.</remarks>
    public string Version { get; } =
        $"SslStream/{RuntimeInformation.FrameworkDescription} ({DescribePlatformTls()})";

    /// <inheritdoc/>
    /// <remarks>
    /// Each feature is pinned by the provider's tests. Key logging is not offered: SslStream exposes no
    /// secrets.
    /// </remarks>
    public TlsFeatures Features =>
        TlsFeatures.Tls12 | TlsFeatures.Tls13 | TlsFeatures.Alpn | TlsFeatures.ClientCertificates |
        TlsFeatures.ServerRole | TlsFeatures.Sni | TlsFeatures.HalfClose;

    /// <inheritdoc/>
    public TlsFilter CreateClient(ConnectionFilter lower, TlsOptions options) =>
        new SslStreamFilter(TlsRole.Client, lower, options);

    /// <inheritdoc/>
    public TlsFilter CreateServer(ConnectionFilter lower, TlsOptions options) =>
        new SslStreamFilter(TlsRole.Server, lower, options);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Version}";

    private static string DescribePlatformTls()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            return RuntimeInformation.OSDescription;
        }

        try
        {
            // OPENSSL_VERSION_NUMBER of the library .NET loaded: 0xMNN00PP0 from 3.0 on, 0xMNNFFPPS before.
            long packed = SafeEvpPKeyHandle.OpenSslVersion;
            long major = (packed >> 28) & 0xF;
            long minor = (packed >> 20) & 0xFF;
            long patch = major >= 3 ? (packed >> 4) & 0xFF : (packed >> 12) & 0xFF;
            return $"OpenSSL {major}.{minor}.{patch}";
        }
        catch (Exception e) when (
            e is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException)
        {
            return RuntimeInformation.OSDescription;
        }
    }
}
