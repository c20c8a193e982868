using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Vtls.Providers.BouncyCastle.Crypto;

namespace Vtls.Providers.BouncyCastle.Peers;

/// <summary>The server side of a handshake: its credentials, what it accepts, and where its callbacks go.</summary>
internal sealed class VtlsTlsServer : AbstractTlsServer
{
    private readonly TlsOptions _options;
    private readonly IPeerEvents _events;
    private readonly LocalCredentials _credentials;

    public VtlsTlsServer(BcTlsCrypto crypto, TlsOptions options, IPeerEvents events)
        : base(crypto)
    {
        _options = options;
        _events = events;
        _credentials = LocalCredentials.From(crypto, options.Certificate!, options.CertificateChain);
    }

    /// <summary>The negotiated parameters, once the handshake got that far.</summary>
    public SecurityParameters? SecurityParameters => m_context?.SecurityParameters;

    /// <summary>The host name the client asked for with SNI, if it sent one.</summary>
    public string? RequestedServerName { get; private set; }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        // SNI is accepted as sent: one certificate serves every name, and the client is the one that checks it.
        var names = clientExtensions is null
            ? null
            : TlsExtensionsUtilities.GetServerNameExtensionClient(clientExtensions);
        var hostName = names?.FirstOrDefault(n => n.NameType == NameType.host_name);
        RequestedServerName = hostName is null ? null : System.Text.Encoding.ASCII.GetString(hostName.NameData);
    }

    // BouncyCastle's default server finds no credentials for TLS 1.3; one signer serves both versions, because
    // every TLS 1.2 suite offered here is ECDHE signed with the certificate's key.
    public override TlsCredentials GetCredentials() =>
        _credentials.CreateSigner(m_context, m_context.SecurityParameters.ClientSigAlgs);

    public override CertificateRequest? GetCertificateRequest()
    {
        if (!_options.RequireClientCertificate)
        {
            return null;
        }

        var accepted = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        if (TlsUtilities.IsTlsV13(m_context))
        {
            return new CertificateRequest(TlsUtilities.EmptyBytes, accepted, null, null);
        }

        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        return new CertificateRequest(types, accepted, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        _events.VerifyPeerCertificate(clientCertificate, TlsUtilities.IsTlsV13(m_context));

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
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuites.ForServer(_credentials.Algorithm));

    protected override IList<ProtocolName>? GetProtocolNames() =>
        _options.ApplicationProtocols is { Count: > 0 } names
            ? names.Select(ProtocolName.AsUtf8Encoding).ToList()
            : null;
}
