using Org.BouncyCastle.Tls;
using Vtls.Providers.BouncyCastle.Protocol;
using BcFatalAlert = Org.BouncyCastle.Tls.TlsFatalAlert;
using BcFatalAlertReceived = Org.BouncyCastle.Tls.TlsFatalAlertReceived;

namespace Vtls.Providers.BouncyCastle;

/// <summary>Maps BouncyCastle's failures to the shared <see cref="TlsException"/> kinds.</summary>
internal sealed partial class BouncyCastleFilter
{
    /// <summary>
    /// Turns a failure inside BouncyCastle into the error every backend reports for it, after handing the fatal
    /// alert BouncyCastle queued (if any) to the filter below, without waiting.
    /// </summary>
    private TlsException Failure(IOException e)
    {
        SendFatalAlertBestEffort();
        if (_certificateFailure is not null)
        {
            // The certificate check failed; V01 wants a certificate error, and the handshake never completed, so
            // no close_notify will follow.
            return new TlsException(TlsErrorKind.Certificate, _certificateFailure, AlertSent(), e);
        }

        switch (e)
        {
            case BcFatalAlertReceived received:
                return TlsException.AlertReceived(AlertNames.ToDescription(received.AlertDescription), e);

            case EndOfStreamException:
                // BouncyCastle's decoders throw this when a message is shorter than its own length fields say; a
                // transport EOF never gets here (see TransportEnded).
                return new TlsException(
                    _handshakeCompleted ? TlsErrorKind.Protocol : TlsErrorKind.Handshake,
                    $"The peer sent a malformed TLS message {(_handshakeCompleted ? "after" : "during")} the " +
                    $"handshake: it is shorter than its length fields say{AlertClause()}.",
                    AlertSent(),
                    e);

            case BcFatalAlert alert when !_handshakeCompleted:
                return new TlsException(
                    TlsErrorKind.Handshake,
                    $"The TLS handshake failed: {Describe(alert)}. {Hint(alert.AlertDescription)}".TrimEnd(),
                    AlertSent(),
                    e);

            case BcFatalAlert alert:
                return new TlsException(
                    TlsErrorKind.Protocol,
                    $"The peer broke the TLS protocol after the handshake: {Describe(alert)}. The connection " +
                    "cannot be used any more.",
                    AlertSent(),
                    e);

            default:
                return new TlsException(
                    _handshakeCompleted ? TlsErrorKind.Protocol : TlsErrorKind.Handshake,
                    $"BouncyCastle TLS failed {(_handshakeCompleted ? "after" : "during")} the handshake: {e.Message}",
                    AlertSent(),
                    e);
        }
    }

    /// <summary>The error for a transport EOF: a handshake failure before connecting, truncation after.</summary>
    private TlsException TransportEnded(IVtlsProtocol protocol, string where)
    {
        BouncyCastleLog.TransportEnded(Logger, Name, where);
        try
        {
            // Lets BouncyCastle see the end too; it reports a missing close_notify as TlsNoCloseNotifyException and
            // a cut record as EndOfStreamException, which are the same verdict for us.
            protocol.Protocol.CloseInput();
        }
        catch (IOException)
        {
        }

        if (!_handshakeCompleted)
        {
            return new TlsException(
                TlsErrorKind.Handshake,
                "The peer closed the connection during the TLS handshake. It may not speak TLS on this port, or " +
                "it refused this side's offer (protocol versions, cipher suites, certificate) without an alert.");
        }

        // RFC 5246, 7.2.1: "Unless some other fatal alert has been transmitted, each party is required to send a
        // close_notify alert before closing the write side of the connection."
        // https://www.rfc-editor.org/rfc/rfc5246#section-7.2.1
        return TlsException.Truncated(where);
    }

    /// <summary>The error for bytes that cannot start a TLS record, naming what they look like.</summary>
    private TlsException NotTls(ReadOnlySpan<byte> head)
    {
        string ascii = new(head.ToArray().Select(b => b is >= 0x20 and < 0x7f ? (char)b : '.').ToArray());
        string what = head switch
        {
            _ when ascii is "GET /" or "POST " or "PUT /" or "HEAD " or "DELET" or "OPTIO" or "PATCH" or "CONNE" =>
                $"The peer does not speak TLS: its first bytes look like HTTP ('{ascii}')",
            [>= 0x80, _, 0x01, 0x03, ..] or [>= 0x80, _, 0x01, 0x00, 0x02, ..] =>
                "The peer sent an SSLv2 ClientHello; SSLv2 is not supported, and the peer must offer TLS 1.2 or 1.3",
            [var type, var major, var minor, ..] =>
                $"The peer sent a record header with content type 0x{type:x2} and version 0x{major:x2}{minor:x2}, " +
                "which is not TLS; it may not speak TLS on this port",
            _ => $"The peer sent bytes that cannot start a TLS record ({Convert.ToHexString(head)})",
        };
        return _handshakeCompleted
            ? new TlsException(TlsErrorKind.Protocol, $"{what}. The connection cannot be used any more.")
            : new TlsException(TlsErrorKind.Handshake, $"{what}.");
    }

    private void SendFatalAlertBestEffort()
    {
        if (_protocol is not { } protocol)
        {
            return;
        }

        // The failing call raised the alert last, and output is collected after every call, so output waiting in
        // BouncyCastle now ends with the alert; none means BouncyCastle wrote nothing, and sealed output is dropped.
        bool written = !_outputSealed && protocol.Protocol.GetAvailableOutputBytes() > 0;
        try
        {
            CollectOutput(protocol);
            if (FlushOutput() && written)
            {
                _fatalAlertSent = _fatalAlertRaised;
            }
        }
        catch (TlsException)
        {
            // The transport is gone as well; the original failure is the one to report.
        }
    }

    private string AlertClause() =>
        _fatalAlertSent is { } sent ? $"; this side sent the fatal alert {AlertNames.Name(sent)}" : string.Empty;

    private TlsAlertDescription? AlertSent() =>
        _fatalAlertSent is { } sent ? AlertNames.ToDescription(sent) : null;

    /// <summary>What went wrong; "sent" only for an alert that reached the filter below.</summary>
    private string Describe(BcFatalAlert alert)
    {
        string name = AlertNames.Name(alert.AlertDescription);
        string detail = alert.Message;
        bool bare = string.IsNullOrEmpty(detail) || detail.StartsWith(name, StringComparison.Ordinal);
        if (_fatalAlertSent is not null)
        {
            return bare ? $"this side sent the fatal alert {name}" : $"{detail}; this side sent the fatal alert {name}";
        }

        return bare
            ? $"BouncyCastle rejected the peer's input ({name}); no alert could be sent"
            : $"{detail} ({name}); no alert could be sent";
    }

    private static string Hint(short alert) => alert switch
    {
        AlertDescription.protocol_version =>
            "The peers share no protocol version; check TlsOptions.Protocols on both sides.",
        AlertDescription.handshake_failure =>
            "The peers share no cipher suite, group or signature scheme, or a required certificate is missing.",
        AlertDescription.no_application_protocol =>
            "The peers share no ALPN protocol; check TlsOptions.ApplicationProtocols.",
        AlertDescription.decrypt_error or AlertDescription.bad_record_mac =>
            "The peer's handshake messages did not verify; something between the peers altered them.",
        _ => string.Empty,
    };
}
