using System.Net;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Vtls.Providers.BouncyCastle.Crypto;

namespace Vtls.Providers.BouncyCastle.Peers;

/// <summary>The client side of a handshake: what it offers, and where its callbacks go.</summary>
internal sealed class VtlsTlsClient : AbstractTlsClient
{
    private readonly TlsOptions _options;
    private readonly IPeerEvents _events;
    private readonly LocalCredentials? _credentials;

    public VtlsTlsClient(BcTlsCrypto crypto, TlsOptions options, IPeerEvents events)
        : base(crypto)
    {
        _options = options;
        _events = events;
        _credentials = options.Certificate is null
            ? null
            : LocalCredentials.From(crypto, options.Certificate, options.CertificateChain);
    }

    /// <summary>The negotiated parameters, once the handshake got that far.</summary>
    public SecurityParameters? SecurityParameters => m_context?.SecurityParameters;

    public override TlsAuthentication GetAuthentication() => new ClientAuthentication(this);

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        _events.AlertRaised(alertLevel, alertDescription, message, cause);

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        _events.AlertReceived(alertLevel, alertDescription);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _events.HandshakeCompleted();
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersions.From(_options.Protocols);

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuites.ForClient());

    protected override IList<ProtocolName>? GetProtocolNames() =>
        _options.ApplicationProtocols is { Count: > 0 } names
            ? names.Select(ProtocolName.AsUtf8Encoding).ToList()
            : null;

    protected override IList<ServerName>? GetSniServerNames()
    {
        // RFC 6066, 3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"."
        // https://www.rfc-editor.org/rfc/rfc6066#section-3
        string? host = _options.ServerName;
        if (string.IsNullOrWhiteSpace(host) || IPAddress.TryParse(host, out _))
        {
            return null;
        }

        return [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(host.TrimEnd('.')))];
    }

    private sealed class ClientAuthentication(VtlsTlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client._events.VerifyPeerCertificate(
                serverCertificate.Certificate,
                TlsUtilities.IsTlsV13(client.m_context));

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            // Without a certificate the client answers with an empty one; the server decides whether that is enough.
            return client._credentials?.CreateSigner(
                client.m_context,
                certificateRequest.SupportedSignatureAlgorithms,
                certificateRequest.GetCertificateRequestContext());
        }
    }
}
