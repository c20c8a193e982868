namespace Vtls;

/// <summary>What a backend can do; used for selection and by the conformance suite.</summary>
[Flags]
public enum TlsFeatures
{
    /// <summary>Nothing beyond the contract.</summary>
    None = 0,

    /// <summary>TLS 1.2.</summary>
    Tls12 = 1 << 0,

    /// <summary>TLS 1.3.</summary>
    Tls13 = 1 << 1,

    /// <summary>Application-layer protocol negotiation.</summary>
    Alpn = 1 << 2,

    /// <summary>Client certificates, in both roles.</summary>
    ClientCertificates = 1 << 3,

    /// <summary>The server role.</summary>
    ServerRole = 1 << 4,

    /// <summary>Receiving continues after this side's close_notify until the peer's (CONFORMANCE S14).</summary>
    HalfClose = 1 << 5,

    /// <summary>Writes session secrets in the SSLKEYLOGFILE format, when asked.</summary>
    KeyLogging = 1 << 6,

    /// <summary>Server name indication.</summary>
    Sni = 1 << 7,
}
