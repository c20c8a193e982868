using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tls;
using Vtls.Providers.BouncyCastle.Peers;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;

namespace Vtls.Providers.BouncyCastle;

/// <summary>BouncyCastle's callbacks: alerts, handshake completion, and the certificate check left to us.</summary>
internal sealed partial class BouncyCastleFilter
{
    private string? _certificateFailure;
    // The fatal alert BouncyCastle raised, and the one that reached the filter below (see
    // SendFatalAlertBestEffort): BouncyCastle raises alerts it cannot write, before a ClientHello or after our
    // close_notify.
    private short? _fatalAlertRaised;
    private short? _fatalAlertSent;

    private void OnAlertRaised(short level, short description, string? message)
    {
        if (description == AlertDescription.close_notify)
        {
            // Logged when it actually leaves, in FlushOutput: it may wait in our queue.
            return;
        }

        if (level == AlertLevel.fatal)
        {
            _fatalAlertRaised = description;
        }

        string detail = string.IsNullOrEmpty(message) ? string.Empty : $" ({message})";
        BouncyCastleLog.AlertSent(Logger, Name, AlertNames.Level(level), AlertNames.Name(description), detail);
    }

    private void OnAlertReceived(short level, short description)
    {
        if (description == AlertDescription.close_notify)
        {
            IsCloseNotifyReceived = true;
            BouncyCastleLog.CloseNotifyReceived(Logger, Name);
            return;
        }

        BouncyCastleLog.AlertReceived(Logger, Name, AlertNames.Level(level), AlertNames.Name(description));
    }

    private void OnPeerCertificate(BcCertificate chain, bool isTls13)
    {
        var encoded = chain.GetCertificateList();
        var certificates = encoded.Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded())).ToList();
        var leaf = certificates.FirstOrDefault();
        PeerCertificate = leaf;
        var peerRole = Role == TlsRole.Client ? TlsRole.Server : TlsRole.Client;
        using var intermediates = new DisposableList(certificates.Skip(1));
        try
        {
            // The shared check: the same options, verdicts and messages as every other backend. It also logs the
            // warning when verification is turned off.
            CertificateVerifier.Verify(leaf, intermediates.Items, Options, peerRole, Logger, Name);
        }
        catch (TlsException e) when (e.Kind == TlsErrorKind.Certificate)
        {
            _certificateFailure = e.Message;

            // RFC 8446, 4.4.2.4: "If the client does not send any certificates (i.e., it sends an empty
            // Certificate message), the server MAY at its discretion either continue the handshake without client
            // authentication or abort the handshake with a "certificate_required" alert."
            // https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2.4
            short alert = leaf is not null ? AlertDescription.bad_certificate
                : isTls13 ? AlertDescription.certificate_required
                : AlertDescription.handshake_failure;
            throw new TlsFatalAlert(alert, e.Message);
        }
    }

    /// <summary>Certificates needed only for the check (the leaf stays as the peer certificate).</summary>
    private sealed class DisposableList(IEnumerable<X509Certificate2> items) : IDisposable
    {
        public List<X509Certificate2> Items { get; } = items.ToList();

        public void Dispose() => Items.ForEach(c => c.Dispose());
    }

    /// <summary>Forwards BouncyCastle's peer callbacks to the filter.</summary>
    private sealed class PeerEvents(BouncyCastleFilter filter) : IPeerEvents
    {
        public void AlertRaised(short level, short description, string? message, Exception? cause) =>
            filter.OnAlertRaised(level, description, message);

        public void AlertReceived(short level, short description) => filter.OnAlertReceived(level, description);

        public void HandshakeCompleted() => filter._handshakeCompleted = true;

        public void VerifyPeerCertificate(BcCertificate chain, bool isTls13) =>
            filter.OnPeerCertificate(chain, isTls13);
    }
}
