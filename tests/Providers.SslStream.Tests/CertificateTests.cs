using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// Trust (CONFORMANCE V01-V05): SslStream's own verdict is replaced by the shared
/// <see cref="CertificateVerifier"/>, and a rejected handshake sends no close_notify.
/// </summary>
public sealed class CertificateTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-trust");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Connect_UntrustedRoot_CertificateErrorAndNoCloseNotify(TlsProtocols protocol)
    {
        var client = TlsPair.ClientOptions(_pki, protocol);
        client.Trust = TlsTrust.System;

        var (clientError, serverError, pair) = FailHandshake(client, TlsPair.ServerOptions(_pki, protocol));
        using var _ = pair;

        // V01. SslStream on Linux judges the certificate after OpenSSL finished its side of the handshake, so the
        // server may well have completed; either way it must never see a clean close: no close_notify left.
        Assert.Equal(TlsErrorKind.Certificate, clientError.Kind);
        Assert.Contains("does not chain to a trusted root", clientError.Message);
        Assert.False(pair.Client.IsCloseNotifySent);
        long sent = pair.ClientWire.SentBytes;
        Assert.Same(clientError, Assert.Throws<TlsException>(() => pair.Client.Shutdown()));
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        pair.Client.Close();
        var seenByServer = serverError ?? Drive.UntilThrows(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Assert.NotEqual(TlsAlertDescription.CloseNotify, seenByServer.Alert);
        Assert.True(
            seenByServer.Kind is TlsErrorKind.Truncated or TlsErrorKind.TransportReset or TlsErrorKind.AlertReceived
                or TlsErrorKind.Handshake,
            seenByServer.Message);
    }

    [Fact]
    public void Connect_NameMismatch_CertificateError()
    {
        var client = TlsPair.ClientOptions(_pki);
        client.ServerName = "other.example.test";

        var (clientError, _, pair) = FailHandshake(client, TlsPair.ServerOptions(_pki));
        using var _ = pair;

        // V02
        Assert.Equal(TlsErrorKind.Certificate, clientError.Kind);
        Assert.Contains("not valid for the name 'other.example.test'", clientError.Message);
    }

    [Fact]
    public void Connect_WildcardCertificate_MatchesOneLabelOnly()
    {
        var server = TlsPair.ServerOptions(_pki);
        server.Certificate = _pki.IssueServer(["*.example.test"]);
        var good = TlsPair.ClientOptions(_pki);
        good.ServerName = "www.example.test";
        var bad = TlsPair.ClientOptions(_pki);
        bad.ServerName = "a.b.example.test";

        using (var pair = TlsPair.Create(good, server))
        {
            pair.Handshake();
        }

        var (error, _, badPair) = FailHandshake(bad, server);
        using var _ = badPair;
        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
    }

    [Fact]
    public void Connect_ExpiredCertificate_CertificateError()
    {
        var server = TlsPair.ServerOptions(_pki);
        var now = DateTimeOffset.UtcNow;
        server.Certificate = _pki.IssueServer(
            [TestPki.ServerName],
            notBefore: now.AddDays(-30),
            notAfter: now.AddDays(-1));

        var (clientError, _, pair) = FailHandshake(TlsPair.ClientOptions(_pki), server);
        using var _ = pair;

        // V03
        Assert.Equal(TlsErrorKind.Certificate, clientError.Kind);
        Assert.Contains("expired or not yet valid", clientError.Message);
    }

    [Fact]
    public void Connect_CustomRoot_Succeeds()
    {
        using var pair = TlsPair.Create(TlsPair.ClientOptions(_pki), TlsPair.ServerOptions(_pki));

        // V04, given root.
        pair.Handshake();
        Assert.True(pair.Client.IsConnected);
    }

    [Fact]
    public void Connect_PinnedPublicKey_SucceedsWithoutNameOrChain()
    {
        var client = new TlsOptions { Trust = TlsTrust.PinnedPublicKey(_pki.Server) };
        using var pair = TlsPair.Create(client, TlsPair.ServerOptions(_pki));

        // V04, pin: no trusted root and no server name, the key is the identity.
        pair.Handshake();
        Assert.True(pair.Client.IsConnected);
    }

    [Fact]
    public void Connect_PinMismatch_CertificateError()
    {
        using var other = TestPki.Create("other");
        var client = new TlsOptions { Trust = TlsTrust.PinnedPublicKey(other.Server) };

        var (clientError, _, pair) = FailHandshake(client, TlsPair.ServerOptions(_pki));
        using var _ = pair;

        Assert.Equal(TlsErrorKind.Certificate, clientError.Kind);
        Assert.Contains("matches no pin", clientError.Message);
    }

    [Fact]
    public void Connect_VerificationOff_SucceedsAndTraceWarns()
    {
        var log = new ListLoggerFactory();
        var client = new TlsOptions { Trust = TlsTrust.InsecureSkipVerification(), LoggerFactory = log };
        var server = TlsPair.ServerOptions(_pki);
        server.Certificate = TestPki.CreateSelfSigned();
        using var pair = TlsPair.Create(client, server);

        // V05
        pair.Handshake();
        Assert.True(pair.Client.IsConnected);
        Assert.Contains(
            log.Entries,
            e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("verification is OFF"));
    }

    [Fact]
    public void Connect_ServerDistrustsClientCertificate_CertificateErrorOnServer()
    {
        using var stranger = TestPki.Create("stranger");
        var client = TlsPair.ClientOptions(_pki);
        client.Certificate = stranger.Client;
        var server = TlsPair.ServerOptions(_pki);
        server.RequireClientCertificate = true;
        using var pair = TlsPair.Create(client, server);
        var serverOutcome = new Drive.Outcome();
        var clientOutcome = new Drive.Outcome();

        Drive.Until(
            Drive.Capture(Drive.Connect(pair.Server), serverOutcome),
            Drive.Capture(Drive.Connect(pair.Client), clientOutcome));
        pair.Server.Close();
        var clientError = clientOutcome.Error ?? Drive.UntilThrows(Drive.ReceiveToEnd(pair.Client, new MemoryStream()));

        // The server judged after its handshake completed (SslStream on Linux), so the client learns of the
        // refusal only as a cut connection: never as a clean end.
        Assert.Equal(TlsErrorKind.Certificate, serverOutcome.Error?.Kind);
        Assert.Contains("client certificate", serverOutcome.Error!.Message);
        Assert.True(
            clientError.Kind is TlsErrorKind.Truncated or TlsErrorKind.TransportReset or TlsErrorKind.AlertReceived,
            clientError.Message);
    }

    private static (TlsException Client, TlsException? Server, TlsPair Pair) FailHandshake(
        TlsOptions client,
        TlsOptions server)
    {
        var pair = TlsPair.Create(client, server);
        var clientOutcome = new Drive.Outcome();
        var serverOutcome = new Drive.Outcome();
        Drive.Until(
            Drive.Capture(Drive.Connect(pair.Client), clientOutcome),
            Drive.Capture(Drive.Connect(pair.Server), serverOutcome));
        Assert.NotNull(clientOutcome.Error);
        Assert.False(pair.Client.IsConnected);
        return (clientOutcome.Error, serverOutcome.Error, pair);
    }
}
