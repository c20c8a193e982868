using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vtls.Providers.BouncyCastle;
using Vtls.Tests.Support;

namespace Vtls.Tests;

public sealed class HandshakeTests
{
    public static TheoryData<TlsProtocols> Versions => new() { TlsProtocols.Tls12, TlsProtocols.Tls13 };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_BothRoles_NegotiatesRequestedVersion(TlsProtocols version)
    {
        using var pair = new Pair(version);

        pair.Handshake();

        Assert.Equal(version, pair.Client.NegotiatedProtocol);
        Assert.Equal(version, pair.Server.NegotiatedProtocol);
        Assert.Equal(pair.Client.CipherSuite, pair.Server.CipherSuite);
        Assert.StartsWith("TLS_", pair.Client.CipherSuite);
        Assert.Equal(Pair.Pki.Server.Thumbprint, pair.Client.PeerCertificate?.Thumbprint);
    }

    [Fact]
    public void Connect_Default_PrefersTls13()
    {
        using var pair = new Pair();

        pair.Handshake();

        Assert.Equal(TlsProtocols.Tls13, pair.Client.NegotiatedProtocol);
    }

    [Fact]
    public void Connect_Client_OffersAllThreeTls13Suites()
    {
        using var pair = new Pair(TlsProtocols.Tls13);

        pair.Client.Connect();

        var hello = pair.Link.A.Sent;
        Assert.True(Contains(hello, [0x13, 0x01]), "TLS_AES_128_GCM_SHA256 missing");
        Assert.True(Contains(hello, [0x13, 0x02]), "TLS_AES_256_GCM_SHA384 missing");
        Assert.True(Contains(hello, [0x13, 0x03]), "TLS_CHACHA20_POLY1305_SHA256 missing");
    }

    [Fact]
    public void Connect_ServerName_SentAsSni()
    {
        using var pair = new Pair();

        pair.Handshake();

        Assert.True(Contains(pair.Link.A.Sent, "localhost"u8.ToArray()));
        Assert.True(pair.ServerLog.Contains("server name localhost"));
    }

    [Fact]
    public void Connect_IpAddressServerName_SendsNoSni()
    {
        using var pair = new Pair(client: o => o.ServerName = "127.0.0.1");

        pair.Handshake();

        Assert.False(Contains(pair.Link.A.Sent, "127.0.0.1"u8.ToArray()));
        Assert.True(pair.Client.IsConnected);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_CommonAlpn_BothSeeIt(TlsProtocols version)
    {
        using var pair = new Pair(
            version,
            client: o => o.ApplicationProtocols = ["h2", "http/1.1"],
            server: o => o.ApplicationProtocols = ["http/1.1"]);

        pair.Handshake();

        Assert.Equal("http/1.1", pair.Client.NegotiatedApplicationProtocol);
        Assert.Equal("http/1.1", pair.Server.NegotiatedApplicationProtocol);
    }

    [Fact]
    public void Connect_NoCommonAlpn_FailsNamingIt()
    {
        using var pair = new Pair(
            client: o => o.ApplicationProtocols = ["h2"],
            server: o => o.ApplicationProtocols = ["http/1.1"]);

        var error = Assert.Throws<TlsException>(pair.Handshake);

        Assert.Contains("no_application_protocol", error.Message);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_RsaServerCertificate_Succeeds(TlsProtocols version)
    {
        using var rsaCertificate = CreateRsaServerCertificate();
        using var pair = new Pair(
            version,
            client: o => o.Trust = TlsTrust.CustomRoots(rsaCertificate),
            server: o => o.Certificate = rsaCertificate);

        pair.Handshake();

        Assert.Contains("_", pair.Client.CipherSuite);
        Assert.Equal(rsaCertificate.Thumbprint, pair.Client.PeerCertificate?.Thumbprint);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_RequiredClientCertificate_ServerSeesIt(TlsProtocols version)
    {
        using var pair = new Pair(
            version,
            client: o => o.Certificate = Pair.Pki.Client,
            server: o => o.RequireClientCertificate = true);

        pair.Handshake();

        Assert.Equal(Pair.Pki.Client.Thumbprint, pair.Server.PeerCertificate?.Thumbprint);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_RequiredClientCertificateMissing_ServerFailsWithCertificateError(TlsProtocols version)
    {
        using var pair = new Pair(version, server: o => o.RequireClientCertificate = true);

        Assert.Throws<TlsException>(pair.Handshake);

        var server = Assert.IsType<TlsException>(pair.Server.FatalError);
        Assert.Equal(TlsErrorKind.Certificate, server.Kind);
        Assert.Contains("sent no certificate", server.Message);
        Assert.False(pair.Server.IsConnected);
    }

    [Fact]
    public void Connect_PeerClosesDuringHandshake_HandshakeError()
    {
        using var pair = new Pair();
        pair.Client.Connect();

        pair.Link.B.SendFin();
        var error = Assert.Throws<TlsException>(() => pair.Client.Connect());

        Assert.Equal(TlsErrorKind.Handshake, error.Kind);
        Assert.Contains("during the TLS handshake", error.Message);
    }

    [Fact]
    public void Connect_NoCommonVersion_ServerSendsProtocolVersionClientNamesIt()
    {
        using var pair = new Pair(
            client: o => o.Protocols = TlsProtocols.Tls12,
            server: o => o.Protocols = TlsProtocols.Tls13);

        Assert.Throws<TlsException>(pair.Handshake);
        Assert.Throws<TlsException>(() => pair.Client.Connect());

        var server = Assert.IsType<TlsException>(pair.Server.FatalError);
        Assert.Equal(TlsErrorKind.Handshake, server.Kind);
        Assert.Equal(TlsAlertDescription.ProtocolVersion, server.Alert);
        var client = Assert.IsType<TlsException>(pair.Client.FatalError);
        Assert.Equal(TlsErrorKind.AlertReceived, client.Kind);
        Assert.Equal(TlsAlertDescription.ProtocolVersion, client.Alert);
    }

    [Fact]
    public void Backend_Describes_ItselfAndFeatures()
    {
        var backend = BouncyCastleBackend.Instance;

        Assert.Equal("bouncycastle", backend.Name);
        Assert.StartsWith("BouncyCastle.Cryptography 2.7.0", backend.Version);
        Assert.True(backend.Features.HasFlag(TlsFeatures.Tls13 | TlsFeatures.ServerRole | TlsFeatures.HalfClose));
        Assert.Same(backend, new TlsBackendRegistry().Register(backend).Get("bouncycastle"));
    }

    private static bool Contains(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;

    private static X509Certificate2 CreateRsaServerCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
