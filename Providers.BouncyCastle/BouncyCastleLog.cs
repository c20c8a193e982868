using Microsoft.Extensions.Logging;

namespace Vtls.Providers.BouncyCastle;

/// <summary>
/// The backend's trace, in the manner of curl's <c>-v</c>. Event ids 3000-3099 belong to this provider. Nothing
/// secret is ever logged: no keys, no secrets, no application data.
/// </summary>
internal static partial class BouncyCastleLog
{
    [LoggerMessage(3000, LogLevel.Information, "[{Filter}] handshake done: {Version}, {CipherSuite}, ALPN {Alpn}")]
    public static partial void HandshakeDone(
        ILogger logger,
        string filter,
        TlsProtocols version,
        string cipherSuite,
        string alpn);

    [LoggerMessage(3001, LogLevel.Debug, "[{Filter}] alert sent: {Level} {Alert}{Detail}")]
    public static partial void AlertSent(ILogger logger, string filter, string level, string alert, string detail);

    [LoggerMessage(3002, LogLevel.Debug, "[{Filter}] alert received: {Level} {Alert}")]
    public static partial void AlertReceived(ILogger logger, string filter, string level, string alert);

    [LoggerMessage(3003, LogLevel.Debug, "[{Filter}] close_notify sent")]
    public static partial void CloseNotifySent(ILogger logger, string filter);

    [LoggerMessage(3004, LogLevel.Debug, "[{Filter}] close_notify received; ours goes out on shutdown()")]
    public static partial void CloseNotifyReceived(ILogger logger, string filter);

    [LoggerMessage(3005, LogLevel.Debug, "[{Filter}] shutdown: discarded {Bytes} bytes of application data")]
    public static partial void DiscardedDuringShutdown(ILogger logger, string filter, int bytes);

    [LoggerMessage(3007, LogLevel.Debug, "[{Filter}] client asked for server name {ServerName}")]
    public static partial void ServerNameReceived(ILogger logger, string filter, string serverName);

    [LoggerMessage(3008, LogLevel.Debug, "[{Filter}] handshake started ({Role}, offering {Protocols})")]
    public static partial void HandshakeStarted(ILogger logger, string filter, TlsRole role, TlsProtocols protocols);

    [LoggerMessage(3009, LogLevel.Debug, "[{Filter}] transport ended without close_notify {Where}")]
    public static partial void TransportEnded(ILogger logger, string filter, string where);
}
