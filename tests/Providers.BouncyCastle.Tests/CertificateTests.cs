using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// Trust (CONFORMANCE group V). BouncyCastle checks neither chain nor name; these prove the filter does, through
/// the shared verifier.
/// </summary>
public sealed class CertificateTests
{
    private static readonly Lazy<TestPki> s_otherPki = new(() => TestPki.Create("Other"));

    public static TheoryData<TlsProtocols> Versions => new() { TlsProtocols.Tls12, TlsProtocols.Tls13 };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_UntrustedRoot_CertificateErrorAndNoCloseNotify(TlsProtocols version)
    {
        using var pair = new Pair(version, client: o => o.Trust = TlsTrust.CustomRoots(s_otherPki.Value.Root));

        var error = Assert.Throws<TlsException>(pair.Handshake);
        int sent = pair.Link.A.Sent.Length;
        var shutdown = Record.Exception(() => pair.Client.Shutdown());

        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Contains("does not chain to a trusted root", error.Message);
        Assert.False(pair.Client.IsConnected);
        Assert.False(pair.Client.IsCloseNotifySent);
        Assert.Same(error, shutdown);
        Assert.Equal(sent, pair.Link.A.Sent.Length);
        var peer = Assert.Throws<TlsException>(() => pair.Server.Connect());
        Assert.Equal(TlsErrorKind.AlertReceived, peer.Kind);
        Assert.Equal(TlsAlertDescription.BadCertificate, peer.Alert);
    }

    [Fact]
    public void Connect_SystemTrustWithTestRoot_CertificateError()
    {
        using var pair = new Pair(client: o => o.Trust = TlsTrust.System);

        var error = Assert.Throws<TlsException>(pair.Handshake);

        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
    }

    [Fact]
    public void Connect_WrongName_CertificateError()
    {
        using var pair = new Pair(client: o => o.ServerName = "other.example");

        var error = Assert.Throws<TlsException>(pair.Handshake);

        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Contains("not valid for the name 'other.example'", error.Message);
    }

    [Theory]
    [InlineData("a.example.test", true)]
    [InlineData("a.b.example.test", false)]
    [InlineData("example.test", false)]
    public void Connect_WildcardCertificate_MatchesOneLabelOnly(string serverName, bool accepted)
    {
        using var wildcard = Pair.Pki.IssueServer(["*.example.test"]);
        using var pair = new Pair(client: o => o.ServerName = serverName, server: o => o.Certificate = wildcard);

        var error = Record.Exception(pair.Handshake);

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(TlsErrorKind.Certificate, Assert.IsType<TlsException>(error).Kind);
        }
    }

    [Fact]
    public void Connect_ExpiredCertificate_CertificateError()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = Pair.Pki.IssueServer(
            ["localhost"],
            notBefore: now.AddDays(-30),
            notAfter: now.AddDays(-1));
        using var pair = new Pair(server: o => o.Certificate = expired);

        var error = Assert.Throws<TlsException>(pair.Handshake);

        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Contains("expired or not yet valid", error.Message);
    }

    [Fact]
    public void Connect_PinnedPublicKey_Succeeds()
    {
        using var pair = new Pair(client: o =>
        {
            o.ServerName = null;
            o.Trust = TlsTrust.PinnedPublicKey(Pair.Pki.Server);
        });

        pair.Handshake();

        Assert.True(pair.Client.IsConnected);
    }

    [Fact]
    public void Connect_PinMismatch_CertificateError()
    {
        using var pair = new Pair(client: o => o.Trust = TlsTrust.PinnedPublicKey(s_otherPki.Value.Server));

        var error = Assert.Throws<TlsException>(pair.Handshake);

        Assert.Equal(TlsErrorKind.Certificate, error.Kind);
        Assert.Contains("matches no pin", error.Message);
    }

    [Fact]
    public void Connect_VerificationOff_SucceedsAndTraceWarns()
    {
        using var untrusted = TestPki.CreateSelfSigned("somewhere.else");
        using var pair = new Pair(
            client: o => o.Trust = TlsTrust.InsecureSkipVerification(),
            server: o => o.Certificate = untrusted);

        pair.Handshake();

        Assert.True(pair.Client.IsConnected);
        Assert.Contains(pair.ClientLog.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Message.Contains("verification is OFF", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Connect_UntrustedClientCertificate_ServerCertificateError(TlsProtocols version)
    {
        using var pair = new Pair(
            version,
            client: o => o.Certificate = s_otherPki.Value.Client,
            server: o => o.RequireClientCertificate = true);

        Assert.Throws<TlsException>(pair.Handshake);

        var server = Assert.IsType<TlsException>(pair.Server.FatalError);
        Assert.Equal(TlsErrorKind.Certificate, server.Kind);
        Assert.Contains("client certificate", server.Message);
    }
}
