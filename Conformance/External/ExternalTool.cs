namespace Vtls.Conformance.External;

/// <summary>A command-line TLS implementation the suite uses as an independent peer.</summary>
public enum ExternalTool
{
    /// <summary><c>openssl s_server</c> / <c>openssl s_client</c>.</summary>
    OpenSsl,

    /// <summary><c>gnutls-serv</c> / <c>gnutls-cli</c>.</summary>
    GnuTls,
}

/// <summary>How the external peer saw the connection end, read from its output.</summary>
public enum ExternalObservation
{
    /// <summary>Nothing conclusive yet.</summary>
    None,

    /// <summary>It received close_notify: a clean end of stream.</summary>
    CleanClose,

    /// <summary>The transport ended without close_notify (EOF, possibly inside a record).</summary>
    Truncated,

    /// <summary>It received a fatal alert (other than close_notify).</summary>
    AlertReceived,

    /// <summary>The connection was reset.</summary>
    Reset,

    /// <summary>The handshake failed for a reason other than the certificate.</summary>
    HandshakeFailed,

    /// <summary>It rejected the peer's certificate.</summary>
    CertificateRejected,

    /// <summary>
    /// After the handshake it found the peer's records bad (a failed MAC, an undecodable record) and gave up,
    /// usually sending a fatal alert of its own.
    /// </summary>
    ProtocolError,
}
