using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle.Peers;

/// <summary>What BouncyCastle's peer callbacks report to the filter that owns them.</summary>
internal interface IPeerEvents
{
    /// <summary>BouncyCastle wrote an alert.</summary>
    void AlertRaised(short level, short description, string? message, Exception? cause);

    /// <summary>An alert arrived from the peer.</summary>
    void AlertReceived(short level, short description);

    /// <summary>The handshake finished on this side.</summary>
    void HandshakeCompleted();

    /// <summary>
    /// Judges the peer's certificate chain with the shared verifier; throws
    /// <see cref="TlsFatalAlert"/> to reject it.
    /// </summary>
    /// <param name="chain">The chain the peer sent; empty when it sent none.</param>
    /// <param name="isTls13">Whether TLS 1.3 was negotiated, which decides the alert for a missing certificate.</param>
    void VerifyPeerCertificate(Certificate chain, bool isTls13);
}
