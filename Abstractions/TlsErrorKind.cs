namespace Vtls;

/// <summary>What kind of failure a <see cref="TlsException"/> reports.</summary>
public enum TlsErrorKind
{
    /// <summary>The handshake failed (no common protocol or cipher, bad message, peer refused).</summary>
    Handshake,

    /// <summary>The peer's certificate was rejected: untrusted, expired, wrong name, pin mismatch.</summary>
    Certificate,

    /// <summary>The peer sent a fatal alert; <see cref="TlsException.Alert"/> names it.</summary>
    AlertReceived,

    /// <summary>
    /// The transport ended (EOF) without the peer's close_notify: the data may have been cut short.
    /// </summary>
    Truncated,

    /// <summary>The peer broke the protocol after the handshake (bad record, bad MAC, unexpected message).</summary>
    Protocol,

    /// <summary>
    /// The transport was reset by the peer (TCP RST), including a broken pipe on send, which is how a reset
    /// already reported shows on later writes.
    /// </summary>
    TransportReset,

    /// <summary>Any other transport failure (connection refused, host or network unreachable).</summary>
    Transport,

    /// <summary>A time budget ran out (handshake, receive or shutdown).</summary>
    Timeout,

    /// <summary>The caller used the API wrongly (send after shutdown, receive before connect, ...).</summary>
    Misuse,
}
