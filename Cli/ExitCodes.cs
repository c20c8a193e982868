using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vtls.Cli;

/// <summary>
/// The exit codes of <c>vtls connect</c> and <c>vtls serve</c>, and the one place that maps a failure to its
/// code. The README and the commands' help list the same table.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The connection ended as it should: the peer's close_notify was seen (or --abort did its job).</summary>
    public const int Clean = 0;

    /// <summary><c>vtls conformance</c>: at least one run failed.</summary>
    public const int ConformanceFailed = 1;

    /// <summary>
    /// The command line is wrong: bad HOST:PORT, contradictory options, unknown backend, unreadable file.
    /// </summary>
    public const int Usage = 2;

    /// <summary>The transport ended without the peer's close_notify: the data may be cut short.</summary>
    public const int Truncated = 3;

    /// <summary>This side rejected the peer's certificate (untrusted, expired, wrong name, pin mismatch).</summary>
    public const int CertificateRejected = 4;

    /// <summary>The handshake failed, the peer broke the protocol, or the peer sent a fatal alert.</summary>
    public const int HandshakeOrProtocol = 5;

    /// <summary>A time budget ran out (handshake, or the wait for the peer's close_notify).</summary>
    public const int Timeout = 6;

    /// <summary>The transport failed: refused, unreachable, reset, broken pipe.</summary>
    public const int Transport = 7;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>The table of codes printed after the help of <c>connect</c> and <c>serve</c>.</summary>
    public const string HelpSection =
        """
        Exit codes:
          0    clean end: the peer's close_notify was seen (with --abort: the connection worked until
               this side aborted it)
          2    usage: bad arguments, contradictory options, unknown backend, unreadable file
          3    truncated: the connection ended without the peer's close_notify
          4    this side rejected the peer's certificate (untrusted, expired, wrong name, pin mismatch)
          5    handshake, protocol or alert failure (including the peer rejecting our certificate)
          6    timeout: handshake, or the peer's close_notify did not come within --timeout
          7    transport error: refused, unreachable, reset
          130  interrupted (Ctrl-C)
        """;

    /// <summary>The exit code for a kind of TLS failure.</summary>
    /// <param name="kind">The failure's kind.</param>
    public static int FromKind(TlsErrorKind kind) => kind switch
    {
        TlsErrorKind.Truncated => Truncated,
        TlsErrorKind.Certificate => CertificateRejected,
        TlsErrorKind.Handshake or TlsErrorKind.AlertReceived or TlsErrorKind.Protocol => HandshakeOrProtocol,
        TlsErrorKind.Timeout => Timeout,
        TlsErrorKind.Transport or TlsErrorKind.TransportReset => Transport,
        TlsErrorKind.Misuse => Usage,
        _ => HandshakeOrProtocol,
    };

    /// <summary>The exit code for any failure a command can meet.</summary>
    /// <param name="error">The failure.</param>
    public static int FromException(Exception error) => error switch
    {
        TlsException tls => FromKind(tls.Kind),
        UsageException => Usage,
        TimeoutException => Timeout,
        SocketException socket when socket.SocketErrorCode == SocketError.TimedOut => Timeout,
        SocketException => Transport,
        IOException => Transport,
        CryptographicException => HandshakeOrProtocol,
        _ => HandshakeOrProtocol,
    };
}
