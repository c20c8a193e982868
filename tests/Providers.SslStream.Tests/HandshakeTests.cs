using Vtls.Conformance.Pki;
using Vtls.Providers.SslStream;
using Vtls.Tests.Support;

namespace Vtls.Tests;

public sealed class HandshakeTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-handshake");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Connect_BothRoles_NegotiatesRequestedProtocol(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);

        Assert.True(pair.Client.IsConnected);
        Assert.True(pair.Server.IsConnected);
        Assert.Equal(protocol, pair.Client.NegotiatedProtocol);
        Assert.Equal(protocol, pair.Server.NegotiatedProtocol);
        Assert.Equal(pair.Client.CipherSuite, pair.Server.CipherSuite);
        Assert.StartsWith("TLS_", pair.Client.CipherSuite);
        Assert.Contains("GCM", pair.Client.CipherSuite);
        Assert.Equal(_pki.Server.Thumbprint, pair.Client.PeerCertificate?.Thumbprint);
        Assert.Null(pair.Server.PeerCertificate);
        Assert.Null(pair.Client.NegotiatedApplicationProtocol);
    }

    [Fact]
    public void Connect_DefaultProtocols_PrefersTls13()
    {
        using var pair = TlsPair.Connected(_pki);

        Assert.Equal(TlsProtocols.Tls13, pair.Client.NegotiatedProtocol);
    }

    [Fact]
    public void Connect_AlpnOffered_AgreesOnServersChoice()
    {
        var client = TlsPair.ClientOptions(_pki);
        client.ApplicationProtocols = ["h2", "http/1.1"];
        var server = TlsPair.ServerOptions(_pki);
        server.ApplicationProtocols = ["http/1.1"];
        using var pair = TlsPair.Create(client, server);

        pair.Handshake();

        Assert.Equal("http/1.1", pair.Client.NegotiatedApplicationProtocol);
        Assert.Equal("http/1.1", pair.Server.NegotiatedApplicationProtocol);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Connect_ClientCertificateRequired_ServerSeesClient(TlsProtocols protocol)
    {
        var client = TlsPair.ClientOptions(_pki, protocol);
        client.Certificate = _pki.Client;
        var server = TlsPair.ServerOptions(_pki, protocol);
        server.RequireClientCertificate = true;
        using var pair = TlsPair.Create(client, server);

        pair.Handshake();

        Assert.Equal(_pki.Client.Thumbprint, pair.Server.PeerCertificate?.Thumbprint);
    }

    [Fact]
    public void Connect_ClientCertificateRequiredButMissing_ServerFailsWithCertificateError()
    {
        var server = TlsPair.ServerOptions(_pki);
        server.RequireClientCertificate = true;
        using var pair = TlsPair.Create(TlsPair.ClientOptions(_pki), server);
        var serverOutcome = new Drive.Outcome();
        var clientOutcome = new Drive.Outcome();

        // TLS 1.3: the client may finish first and learn of the refusal later; either way both steps end.
        Drive.Until(
            Drive.Capture(Drive.Connect(pair.Server), serverOutcome),
            Drive.Capture(Drive.Connect(pair.Client), clientOutcome));

        var serverError = serverOutcome.Error;
        Assert.NotNull(serverError);
        Assert.Equal(TlsErrorKind.Certificate, serverError.Kind);
        Assert.Contains("sent no certificate", serverError.Message);
    }

    [Fact]
    public void Connect_NoCommonProtocol_FailsOnBothSidesWithHandshakeError()
    {
        using var pair = TlsPair.Create(
            TlsPair.ClientOptions(_pki, TlsProtocols.Tls12),
            TlsPair.ServerOptions(_pki, TlsProtocols.Tls13));

        var clientError = Drive.UntilThrows(() =>
        {
            try
            {
                pair.Server.Connect();
            }
            catch (TlsException)
            {
                // The server's failure is not what this test looks at.
            }

            return pair.Client.Connect() == Progress.Done;
        });

        Assert.True(
            clientError.Kind is TlsErrorKind.AlertReceived or TlsErrorKind.Handshake,
            $"unexpected {clientError.Kind}: {clientError.Message}");
        Assert.False(pair.Client.IsConnected);
    }

    [Fact]
    public void Backend_Metadata_DescribesSslStream()
    {
        var backend = SslStreamBackend.Instance;

        Assert.Equal("sslstream", backend.Name);
        Assert.StartsWith("SslStream/.NET ", backend.Version);
        Assert.Contains(OperatingSystem.IsLinux() ? "(OpenSSL " : "(", backend.Version);
        Assert.True(backend.Features.HasFlag(TlsFeatures.Tls12 | TlsFeatures.Tls13 | TlsFeatures.ServerRole));
        Assert.False(backend.Features.HasFlag(TlsFeatures.KeyLogging));
    }

    [Fact]
    public void Registry_RegisteredBackend_IsFoundByName()
    {
        var registry = new TlsBackendRegistry().Register(SslStreamBackend.Instance);

        Assert.Same(SslStreamBackend.Instance, registry.Get("sslstream"));
        Assert.Same(SslStreamBackend.Instance, registry.Select(preference: "nonexistent,sslstream"));
    }
}
