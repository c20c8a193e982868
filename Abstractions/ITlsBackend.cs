namespace Vtls;

/// <summary>
/// A TLS implementation that creates client and server filters. Register it with a
/// <see cref="TlsBackendRegistry"/> so applications can choose it by name at run time.
/// </summary>
public interface ITlsBackend
{
    /// <summary>A stable lower-case name: <c>sslstream</c>, <c>bouncycastle</c>, <c>managed</c>.</summary>
    string Name { get; }

    /// <summary>A version string for diagnostics, for example <c>SslStream/.NET 10.0.12 (OpenSSL 3.0.19)</c>.</summary>
    string Version { get; }

    /// <summary>What the backend can do.</summary>
    TlsFeatures Features { get; }

    /// <summary>Creates a client filter over <paramref name="lower"/>.</summary>
    /// <param name="lower">The filter below, usually a <see cref="TcpSocketFilter"/>.</param>
    /// <param name="options">The connection's options.</param>
    /// <exception cref="ArgumentException">The options are invalid for a client.</exception>
    TlsFilter CreateClient(ConnectionFilter lower, TlsOptions options);

    /// <summary>Creates a server filter over <paramref name="lower"/>.</summary>
    /// <param name="lower">The filter below, usually a <see cref="TcpSocketFilter"/> from an accepted socket.</param>
    /// <param name="options">The connection's options, with a certificate.</param>
    /// <exception cref="ArgumentException">The options are invalid for a server.</exception>
    /// <exception cref="NotSupportedException">The backend has no <see cref="TlsFeatures.ServerRole"/>.</exception>
    TlsFilter CreateServer(ConnectionFilter lower, TlsOptions options);
}
