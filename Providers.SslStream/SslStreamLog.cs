using Microsoft.Extensions.Logging;

namespace Vtls.Providers.SslStream;

/// <summary>
/// The SslStream backend's trace, in the manner of curl's <c>-v</c>. Event ids 2000-2099 belong to this
/// backend. Payloads and secrets are never logged, only sizes and names.
/// </summary>
internal static partial class SslStreamLog
{
    [LoggerMessage(2000, LogLevel.Debug, "[{Filter}] handshake started as {Role} ({Protocols}, SNI '{ServerName}')")]
    public static partial void HandshakeStarted(
        ILogger logger,
        string filter,
        TlsRole role,
        TlsProtocols protocols,
        string? serverName);

    [LoggerMessage(
        2001,
        LogLevel.Debug,
        "[{Filter}] handshake done: {Protocol}, {CipherSuite}, ALPN {Alpn}, peer certificate {PeerSubject}")]
    public static partial void HandshakeDone(
        ILogger logger,
        string filter,
        TlsProtocols protocol,
        string cipherSuite,
        string alpn,
        string peerSubject);

    [LoggerMessage(2002, LogLevel.Debug, "[{Filter}] handshake failed ({Kind}): {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string filter, TlsErrorKind kind, string reason);

    [LoggerMessage(2010, LogLevel.Debug, "[{Filter}] shutdown: close_notify queued")]
    public static partial void CloseNotifyQueued(ILogger logger, string filter);

    [LoggerMessage(2011, LogLevel.Debug, "[{Filter}] shutdown: close_notify sent")]
    public static partial void CloseNotifySent(ILogger logger, string filter);

    [LoggerMessage(2012, LogLevel.Debug, "[{Filter}] close_notify received")]
    public static partial void CloseNotifyReceived(ILogger logger, string filter);

    [LoggerMessage(
        2013,
        LogLevel.Debug,
        "[{Filter}] shutdown: the peer's close_notify was already received; done without waiting")]
    public static partial void ShutdownAfterPeer(ILogger logger, string filter);

    [LoggerMessage(
        2014,
        LogLevel.Debug,
        "[{Filter}] shutdown: discarded {Bytes} bytes of application data while waiting for close_notify")]
    public static partial void DataDiscarded(ILogger logger, string filter, int bytes);

    [LoggerMessage(2015, LogLevel.Debug, "[{Filter}] transport EOF without close_notify {Where}: truncation")]
    public static partial void TruncationDetected(ILogger logger, string filter, string where);

    [LoggerMessage(2016, LogLevel.Debug, "[{Filter}] fatal alert received {Where}: {Alert}")]
    public static partial void AlertReceived(ILogger logger, string filter, string where, string alert);

    [LoggerMessage(2030, LogLevel.Debug, "[{Filter}] close: SslStream disposed, {Unsent} queued bytes dropped")]
    public static partial void Closed(ILogger logger, string filter, int unsent);
}
