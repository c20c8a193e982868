using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vtls.Conformance.Pki;

namespace Vtls.Tests;

/// <summary>Every rule of <see cref="TlsOptions.Validate"/>.</summary>
public class TlsOptionsTests : IClassFixture<PkiFixture>
{
    private readonly TestPki _pki;

    public TlsOptionsTests(PkiFixture fixture) => _pki = fixture.Pki;

    [Fact]
    public void Validate_ClientDefaultsWithServerName_Valid()
    {
        new TlsOptions { ServerName = "localhost" }.Validate(TlsRole.Client);
    }

    [Fact]
    public void Validate_ClientWithoutServerName_Rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TlsOptions().Validate(TlsRole.Client));

        Assert.Equal(nameof(TlsOptions.ServerName), e.ParamName);
    }

    [Fact]
    public void Validate_ClientCustomRootsWithoutServerName_Rejected()
    {
        var options = new TlsOptions { Trust = TlsTrust.CustomRoots(_pki.Root), ServerName = " " };

        Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));
    }

    [Fact]
    public void Validate_ClientPinnedWithoutServerName_Valid()
    {
        new TlsOptions { Trust = TlsTrust.PinnedPublicKey(_pki.Server) }.Validate(TlsRole.Client);
    }

    [Fact]
    public void Validate_ClientInsecureWithoutServerName_Valid()
    {
        new TlsOptions { Trust = TlsTrust.InsecureSkipVerification() }.Validate(TlsRole.Client);
    }

    [Fact]
    public void Validate_ServerWithoutCertificate_Rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TlsOptions().Validate(TlsRole.Server));

        Assert.Equal(nameof(TlsOptions.Certificate), e.ParamName);
    }

    [Fact]
    public void Validate_ServerCertificateWithKey_Valid()
    {
        new TlsOptions { Certificate = _pki.Server }.Validate(TlsRole.Server);
    }

    [Theory]
    [InlineData(TlsRole.Server)]
    [InlineData(TlsRole.Client)]
    public void Validate_CertificateWithoutPrivateKey_Rejected(TlsRole role)
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_pki.Server.RawData);
        var options = new TlsOptions { ServerName = "localhost", Certificate = publicOnly };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(role));

        Assert.Equal(nameof(TlsOptions.Certificate), e.ParamName);
        Assert.Contains("private key", e.Message);
    }

    [Theory]
    [InlineData(TlsProtocols.None)]
    [InlineData((TlsProtocols)4)]
    [InlineData((TlsProtocols)7)]
    public void Validate_BadProtocols_Rejected(TlsProtocols protocols)
    {
        var options = new TlsOptions { ServerName = "localhost", Protocols = protocols };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));

        Assert.Equal(nameof(TlsOptions.Protocols), e.ParamName);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    [InlineData(TlsProtocols.Tls12And13)]
    public void Validate_GoodProtocols_Valid(TlsProtocols protocols)
    {
        new TlsOptions { ServerName = "localhost", Protocols = protocols }.Validate(TlsRole.Client);
    }

    [Fact]
    public void Validate_AlpnEmptyName_Rejected()
    {
        var options = new TlsOptions { ServerName = "localhost", ApplicationProtocols = ["h2", ""] };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));

        Assert.Equal(nameof(TlsOptions.ApplicationProtocols), e.ParamName);
    }

    [Fact]
    public void Validate_AlpnNameOf255Bytes_Valid()
    {
        var options = new TlsOptions { ServerName = "localhost", ApplicationProtocols = [new string('a', 255)] };

        options.Validate(TlsRole.Client);
    }

    [Fact]
    public void Validate_AlpnNameOver255Bytes_Rejected()
    {
        var options = new TlsOptions { ServerName = "localhost", ApplicationProtocols = [new string('a', 256)] };

        Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));
    }

    [Fact]
    public void Validate_AlpnNameOver255Utf8Bytes_Rejected()
    {
        // 200 characters, 400 bytes on the wire (ALPN names are byte strings; .NET encodes them as UTF-8).
        var options = new TlsOptions { ServerName = "localhost", ApplicationProtocols = [new string('\u00e9', 200)] };

        Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveHandshakeTimeout_Rejected(int seconds)
    {
        var options = new TlsOptions { ServerName = "localhost", HandshakeTimeout = TimeSpan.FromSeconds(seconds) };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));

        Assert.Equal(nameof(TlsOptions.HandshakeTimeout), e.ParamName);
    }

    [Fact]
    public void Validate_InfiniteHandshakeTimeout_Valid()
    {
        new TlsOptions { ServerName = "localhost", HandshakeTimeout = Timeout.InfiniteTimeSpan }
            .Validate(TlsRole.Client);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveShutdownTimeout_Rejected(int milliseconds)
    {
        var options = new TlsOptions
        {
            ServerName = "localhost",
            ShutdownTimeout = TimeSpan.FromMilliseconds(milliseconds),
        };

        var e = Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));

        Assert.Equal(nameof(TlsOptions.ShutdownTimeout), e.ParamName);
    }

    [Fact]
    public void Validate_NullTrust_Rejected()
    {
        var options = new TlsOptions { ServerName = "localhost", Trust = null! };

        Assert.Throws<ArgumentException>(() => options.Validate(TlsRole.Client));
    }

    [Fact]
    public void Defaults_AreSecure()
    {
        var options = new TlsOptions();

        Assert.Equal(TlsTrustMode.System, options.Trust.Mode);
        Assert.Equal(TlsProtocols.Tls12And13, options.Protocols);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ShutdownTimeout);
    }

    [Fact]
    public void Clone_ApplicationProtocolsNotShared()
    {
        var template = new TlsOptions { ServerName = "a", ApplicationProtocols = ["h2"] };

        var copy = template.Clone();
        copy.ApplicationProtocols.Add("http/1.1");

        Assert.Equal(["h2"], template.ApplicationProtocols);
    }

    [Fact]
    public void CustomRoots_None_Rejected()
    {
        Assert.Throws<ArgumentException>(() => TlsTrust.CustomRoots(new X509Certificate2Collection()));
    }

    [Fact]
    public void PinnedPublicKey_WrongDigestLength_Rejected()
    {
        Assert.Throws<ArgumentException>(() => TlsTrust.PinnedPublicKey(new byte[20]));
        Assert.Throws<ArgumentException>(() => TlsTrust.PinnedPublicKey(Array.Empty<byte[]>()));
    }

    [Fact]
    public void SpkiSha256_IsDigestOfSubjectPublicKeyInfo()
    {
        var expected = SHA256.HashData(_pki.Server.PublicKey.ExportSubjectPublicKeyInfo());

        Assert.Equal(expected, TlsTrust.SpkiSha256(_pki.Server));
    }
}
