using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtls.Providers.SslStream;

/// <summary>
/// Turns SslStream's exceptions into <see cref="TlsException"/>s of the right kind, so that the base class keeps
/// them as the fatal error (after which nothing, close_notify included, is sent).
/// </summary>
public sealed partial class SslStreamFilter
{
    // OpenSSL reports a received alert as reason SSL_AD_REASON_OFFSET (1000) + the alert's code, in an error
    // string like "error:0A000418:SSL routines::tlsv1 alert unknown ca" that .NET passes on as a message.
    private const int OpenSslAlertReasonOffset = 1000;
    private const uint OpenSslLibSsl = 20;

    private TlsException HandshakeFailed(Exception error)
    {
        // OpenSSL queues a fatal alert of its own for most failures (bad_certificate when our check said no):
        // the peer deserves to learn why, so it goes out if the transport takes it now. It is never close_notify.
        FlushQuietly();
        var failure = ClassifyHandshakeFailure(error);
        SslStreamLog.HandshakeFailed(Logger, Name, failure.Kind, failure.Message);
        return failure;
    }

    private TlsException ClassifyHandshakeFailure(Exception error)
    {
        if (_certificateFailure is not null)
        {
            return new TlsException(TlsErrorKind.Certificate, _certificateFailure, innerException: error);
        }

        if (TryFindReceivedAlert(error, out var alert))
        {
            SslStreamLog.AlertReceived(Logger, Name, "during the handshake", alert.ToRfcName());
            return new TlsException(
                TlsErrorKind.AlertReceived,
                $"The peer ended the handshake with a fatal alert: {alert.ToRfcName()} ({(byte)alert}). " +
                AlertHint(alert),
                alert,
                error);
        }

        if (_bio.DeliveredEndOfStream)
        {
            return new TlsException(
                TlsErrorKind.Handshake,
                "The peer closed the connection during the handshake without an alert. Check that it speaks TLS " +
                $"on this port and accepts {Options.Protocols}.",
                innerException: error);
        }

        return new TlsException(
            TlsErrorKind.Handshake,
            $"The TLS handshake failed: {Describe(error)}. Check the protocol versions ({Options.Protocols}), " +
            "the certificate settings and the peer's log.",
            innerException: error);
    }

    /// <summary>Classifies a failure of a read (receive or shutdown drain) after the handshake.</summary>
    private TlsException ReadFailed(Exception error, string where)
    {
        if (error is TlsException tls)
        {
            return tls;
        }

        if (TryFindReceivedAlert(error, out var alert))
        {
            SslStreamLog.AlertReceived(Logger, Name, where, alert.ToRfcName());
            return TlsException.AlertReceived(alert, error);
        }

        if (_bio.DeliveredEndOfStream)
        {
            // FIN in the middle of a record: SslStream says "unexpected EOF".
            SslStreamLog.TruncationDetected(Logger, Name, where + " (inside a record)");
            return TlsException.Truncated(where + ", in the middle of a record");
        }

        FlushQuietly();
        return new TlsException(
            TlsErrorKind.Protocol,
            $"The TLS connection failed {where}: {Describe(error)}.",
            innerException: error);
    }

    /// <summary>Classifies a failure of SslStream's write side (send, close_notify).</summary>
    private TlsException WriteFailed(Exception error, string where) =>
        error as TlsException ?? new TlsException(
            TlsErrorKind.Protocol,
            $"The TLS connection failed {where}: {Describe(error)}.",
            innerException: error);

    /// <summary>Sends what OpenSSL queued (a fatal alert) if the transport takes it now; never throws.</summary>
    private void FlushQuietly()
    {
        try
        {
            FlushOutbound();
        }
        catch (TlsException)
        {
            // The transport is gone too: the original failure is what matters.
        }
    }

    /// <summary>Finds the alert the peer sent in an exception chain, by OpenSSL's reason code or name.</summary>
    internal static bool TryFindReceivedAlert(Exception error, out TlsAlertDescription alert)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            var code = OpenSslErrorCode().Match(e.Message);
            if (code.Success)
            {
                uint packed = uint.Parse(code.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

                // The SSL library is number 20: packed in bits 23-30 by OpenSSL 3, in bits 24-31 by 1.1.
                bool fromSsl = ((packed >> 23) & 0xFF) == OpenSslLibSsl || (packed >> 24) == OpenSslLibSsl;
                int description = (int)(packed & 0xFFF) - OpenSslAlertReasonOffset;

                // 0 would be close_notify, which is never a failure.
                if (fromSsl && description is > 0 and <= byte.MaxValue)
                {
                    alert = (TlsAlertDescription)description;
                    return true;
                }
            }

            var named = OpenSslAlertName().Match(e.Message);
            if (named.Success)
            {
                string rfcName = named.Groups[1].Value.Trim().Replace(' ', '_');
                foreach (var candidate in Enum.GetValues<TlsAlertDescription>())
                {
                    if (candidate != TlsAlertDescription.CloseNotify && candidate.ToRfcName() == rfcName)
                    {
                        alert = candidate;
                        return true;
                    }
                }
            }
        }

        alert = default;
        return false;
    }

    private static string AlertHint(TlsAlertDescription alert) => alert switch
    {
        TlsAlertDescription.BadCertificate or TlsAlertDescription.UnknownCa
            or TlsAlertDescription.CertificateUnknown or TlsAlertDescription.CertificateExpired
            or TlsAlertDescription.UnsupportedCertificate or TlsAlertDescription.CertificateRevoked =>
            "The peer rejected this side's certificate: check that it trusts the issuer and accepts the name.",
        TlsAlertDescription.CertificateRequired =>
            "The server requires a client certificate: set TlsOptions.Certificate.",
        TlsAlertDescription.ProtocolVersion or TlsAlertDescription.HandshakeFailure
            or TlsAlertDescription.InsufficientSecurity =>
            "No protocol version or cipher suite in common: compare the allowed versions on both sides.",
        TlsAlertDescription.NoApplicationProtocol =>
            "No ALPN protocol in common: compare TlsOptions.ApplicationProtocols with the peer's.",
        TlsAlertDescription.UnrecognizedName =>
            "The server does not serve the requested name (SNI): check TlsOptions.ServerName.",
        _ => "See the peer's log for its reason.",
    };

    private static string Describe(Exception error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            string message = e.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase))
            {
                messages.Add(message);
            }
        }

        return messages.Count == 0 ? error.GetType().Name : string.Join(": ", messages.Distinct());
    }

    [GeneratedRegex(@"error:([0-9A-Fa-f]{8}):")]
    private static partial Regex OpenSslErrorCode();

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)")]
    private static partial Regex OpenSslAlertName();
}
