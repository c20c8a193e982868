using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vtls.Conformance.Pki;
using Vtls.Tests.Fakes;

namespace Vtls.Tests;

/// <summary>The shared certificate check every backend relies on.</summary>
public class CertificateVerifierTests : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki;

    public CertificateVerifierTests(PkiFixture fixture) => _pki = fixture.Pki;

    private TlsOptions Trusting(string? serverName = "localhost", TimeProvider? time = null) => new()
    {
        ServerName = serverName,
        Trust = TlsTrust.CustomRoots(_pki.Root),
        TimeProvider = time ?? TimeProvider.System,
    };

    private static string? CheckServer(X509Certificate2? leaf, TlsOptions options) =>
        CertificateVerifier.Check(leaf, [], options, TlsRole.Server);

    [Fact]
    public void Check_ChainToCustomRoot_Accepted()
    {
        Assert.Null(CheckServer(_pki.Server, Trusting()));
    }

    [Fact]
    public void Verify_ChainToCustomRoot_LogsAcceptance()
    {
        var logger = new ListLogger();

        CertificateVerifier.Verify(_pki.Server, [], Trusting(), TlsRole.Server, logger, "tls:test");

        Assert.Contains(logger.Entries, e => e.Message.Contains("verified") && e.Message.Contains("tls:test"));
    }

    [Fact]
    public void Check_RootNotTrusted_Rejected()
    {
        using var other = TestPki.Create("Other");
        var options = new TlsOptions { ServerName = "localhost", Trust = TlsTrust.CustomRoots(other.Root) };

        var failure = CheckServer(_pki.Server, options);

        Assert.NotNull(failure);
        Assert.Contains("trusted root", failure);
    }

    [Fact]
    public void Check_SystemTrustWithTestRoot_Rejected()
    {
        var options = new TlsOptions { ServerName = "localhost" };

        Assert.NotNull(CheckServer(_pki.Server, options));
    }

    [Fact]
    public void Check_SelfSignedNotTrusted_Rejected()
    {
        using var selfSigned = TestPki.CreateSelfSigned();

        Assert.NotNull(CheckServer(selfSigned, Trusting()));
    }

    [Fact]
    public void Verify_Rejected_ThrowsCertificateKind()
    {
        var e = Assert.Throws<TlsException>(
            () => CertificateVerifier.Verify(_pki.Server, [], Trusting("wrong.example"), TlsRole.Server));

        Assert.Equal(TlsErrorKind.Certificate, e.Kind);
        Assert.Contains("wrong.example", e.Message);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost.example")]
    [InlineData("127.0.0.2")]
    public void Check_WrongName_Rejected(string name)
    {
        var failure = CheckServer(_pki.Server, Trusting(name));

        Assert.NotNull(failure);
        Assert.Contains(name, failure);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Check_NameOrAddressInSan_Accepted(string name)
    {
        Assert.Null(CheckServer(_pki.Server, Trusting(name)));
    }

    [Fact]
    public void Check_IpAddressOnlyInDnsSan_Rejected()
    {
        // An address must match an IP SAN; the same text as a DNS name does not count.
        using var certificate = _pki.IssueServer(["10.0.0.1"]);

        Assert.NotNull(CheckServer(certificate, Trusting("10.0.0.1")));
    }

    [Fact]
    public void Check_IpSan_Accepted()
    {
        using var certificate = _pki.IssueServer([], [IPAddress.Parse("192.0.2.7")]);

        Assert.Null(CheckServer(certificate, Trusting("192.0.2.7")));
    }

    [Theory]
    [InlineData("a.example.test", true)]
    [InlineData("xyz.example.test", true)]
    [InlineData("a.b.example.test", false)]
    [InlineData("example.test", false)]
    [InlineData("a.example.testx", false)]
    public void Check_Wildcard_MatchesOneLeftmostLabel(string name, bool accepted)
    {
        using var certificate = _pki.IssueServer(["*.example.test"]);

        var failure = CheckServer(certificate, Trusting(name));

        Assert.Equal(accepted, failure is null);
    }

    [Fact]
    public void Check_Expired_Rejected()
    {
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(120));

        var failure = CheckServer(_pki.Server, Trusting(time: later));

        Assert.NotNull(failure);
        Assert.Contains("expired or not yet valid", failure);
    }

    [Fact]
    public void Check_NotYetValid_RejectedUntilTheClockReachesIt()
    {
        var now = DateTimeOffset.UtcNow;
        using var future = _pki.IssueServer(["localhost"], notBefore: now.AddDays(10), notAfter: now.AddDays(20));
        var time = new FakeTimeProvider(now);

        var failure = CheckServer(future, Trusting(time: time));
        time.Advance(TimeSpan.FromDays(15));
        var later = CheckServer(future, Trusting(time: time));

        Assert.NotNull(failure);
        Assert.Contains("not yet valid", failure);
        Assert.Null(later);
    }

    [Fact]
    public void Check_ExpiredByRealClock_RejectedAndValidInThePast()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = TestPki.Create("Past", now.AddDays(-30));
        using var expired = pki.IssueServer(["localhost"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-10));
        TlsOptions Options(TimeProvider time) => new()
        {
            ServerName = "localhost",
            Trust = TlsTrust.CustomRoots(pki.Root),
            TimeProvider = time,
        };

        Assert.NotNull(CheckServer(expired, Options(TimeProvider.System)));
        Assert.Null(CheckServer(expired, Options(new FakeTimeProvider(now.AddDays(-15)))));
    }

    [Fact]
    public void Check_ClockInAnotherTimeZone_SameVerdict()
    {
        var now = DateTimeOffset.UtcNow;
        using var soon = _pki.IssueServer(["localhost"], notBefore: now.AddHours(-1), notAfter: now.AddHours(5));
        var time = new FakeTimeProvider(now);
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("plus12", TimeSpan.FromHours(12), "+12", "+12"));

        Assert.Null(CheckServer(soon, Trusting(time: time)));
    }

    [Fact]
    public void Check_PinMatches_AcceptedWhateverTheChainAndName()
    {
        using var selfSigned = TestPki.CreateSelfSigned("anything.test");
        var options = new TlsOptions { Trust = TlsTrust.PinnedPublicKey(selfSigned) };

        Assert.Null(CheckServer(selfSigned, options));
    }

    [Fact]
    public void Check_PinMismatch_RejectedNamingTheKey()
    {
        var options = new TlsOptions { Trust = TlsTrust.PinnedPublicKey(_pki.Client) };

        var failure = CheckServer(_pki.Server, options);

        Assert.NotNull(failure);
        Assert.Contains("sha256//" + Convert.ToBase64String(TlsTrust.SpkiSha256(_pki.Server)), failure);
    }

    [Fact]
    public void Check_PinnedNoCertificate_Rejected()
    {
        var options = new TlsOptions { Trust = TlsTrust.PinnedPublicKey(_pki.Server) };

        Assert.NotNull(CheckServer(null, options));
    }

    [Fact]
    public void Verify_Insecure_AcceptsAnythingAndWarns()
    {
        using var selfSigned = TestPki.CreateSelfSigned("anything.test");
        var options = new TlsOptions { Trust = TlsTrust.InsecureSkipVerification(), ServerName = "other.test" };
        var logger = new ListLogger();

        CertificateVerifier.Verify(selfSigned, [], options, TlsRole.Server, logger);
        CertificateVerifier.Verify(null, [], options, TlsRole.Server, logger);

        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("OFF")));
    }

    [Fact]
    public void Check_NoCertificate_Rejected()
    {
        var failure = CheckServer(null, Trusting());

        Assert.NotNull(failure);
        Assert.Contains("no certificate", failure);
    }

    [Fact]
    public void Check_ClientAuthCertificateAsServer_RejectedForUsage()
    {
        var failure = CheckServer(_pki.Client, Trusting("vtls-test-client"));

        Assert.NotNull(failure);
        Assert.Contains("key usage", failure);
    }

    [Fact]
    public void Check_ClientCertificateAsClient_AcceptedWithoutName()
    {
        var options = new TlsOptions { Trust = TlsTrust.CustomRoots(_pki.Root), Certificate = _pki.Server };

        Assert.Null(CertificateVerifier.Check(_pki.Client, [], options, TlsRole.Client));
    }

    [Fact]
    public void Check_ServerAuthCertificateAsClient_RejectedForUsage()
    {
        var options = new TlsOptions { Trust = TlsTrust.CustomRoots(_pki.Root), Certificate = _pki.Server };

        var failure = CertificateVerifier.Check(_pki.Server, [], options, TlsRole.Client);

        Assert.NotNull(failure);
        Assert.Contains("client", failure);
    }

    [Fact]
    public void Check_IntermediateSentByPeer_UsedToBuildTheChain()
    {
        // root -> intermediate (sent by the peer, not trusted) -> leaf
        using var rootKey = ECDsa.Create();
        var rootRequest = new CertificateRequest("CN=Chain Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var midKey = ECDsa.Create();
        var midRequest = new CertificateRequest("CN=Chain Intermediate", midKey, HashAlgorithmName.SHA256);
        midRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var mid = midRequest.Create(root, now.AddDays(-1), now.AddDays(20), [1, 2]);
        using var midWithKey = mid.CopyWithPrivateKey(midKey);
        using var leafKey = ECDsa.Create();
        var leafRequest = new CertificateRequest("CN=chain.test", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("chain.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(midWithKey, now.AddDays(-1), now.AddDays(10), [3, 4]);
        var options = new TlsOptions { ServerName = "chain.test", Trust = TlsTrust.CustomRoots(root) };

        Assert.NotNull(CertificateVerifier.Check(leaf, [], options, TlsRole.Server));
        Assert.Null(CertificateVerifier.Check(leaf, [leaf, mid], options, TlsRole.Server));
    }

    [Fact]
    public void Check_ServerPeerWithoutServerName_RejectedNotCrash()
    {
        var failure = CheckServer(_pki.Server, Trusting(serverName: null));

        Assert.NotNull(failure);
    }
}
