using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vtls.Conformance.Pki;

/// <summary>
/// A throw-away certificate authority made in memory for tests and demos: a root, a server certificate for
/// <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>, a client certificate, and whatever broken certificates a
/// scenario needs (expired, wrong name, self-signed). Keys are ECDSA P-256; nothing touches the disk unless
/// <see cref="WritePemFiles"/> is called.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>The host name the default server certificate is issued for.</summary>
    public const string ServerName = "localhost";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly ECDsa _rootKey;
    private readonly List<X509Certificate2> _issued = [];
    private readonly DateTimeOffset _now;

    private TestPki(string name, DateTimeOffset now)
    {
        _now = now;
        _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} Root CA, O=Vtls test", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        Server = IssueServer([ServerName], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        Client = IssueClient("vtls-test-client");
    }

    /// <summary>The root certificate (with its key), to be trusted by clients.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>A server certificate for <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>, with its key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A client certificate (clientAuth), with its key.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>Creates a new authority with its default server and client certificates.</summary>
    /// <param name="name">A name for the root's subject.</param>
    /// <param name="now">The time the certificates are valid around; default now.</param>
    public static TestPki Create(string name = "Vtls", DateTimeOffset? now = null) =>
        new(name, now ?? DateTimeOffset.UtcNow);

    /// <summary>Issues a server certificate signed by <see cref="Root"/>.</summary>
    /// <param name="dnsNames">DNS names (wildcards allowed, for example <c>*.example.test</c>).</param>
    /// <param name="addresses">IP addresses.</param>
    /// <param name="notBefore">Start of validity; default a day ago.</param>
    /// <param name="notAfter">End of validity; default in 90 days.</param>
    public X509Certificate2 IssueServer(
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress>? addresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        var names = dnsNames.ToArray();
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in names)
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in addresses ?? [])
        {
            san.AddIpAddress(ip);
        }

        string cn = names.FirstOrDefault() ?? "server";
        return Issue($"CN={cn}, O=Vtls test", ServerAuth, san.Build(), notBefore, notAfter);
    }

    /// <summary>Issues a client certificate signed by <see cref="Root"/>.</summary>
    /// <param name="commonName">The subject's common name.</param>
    public X509Certificate2 IssueClient(string commonName) =>
        Issue($"CN={commonName}, O=Vtls test", ClientAuth, null, null, null);

    /// <summary>
    /// A self-signed server certificate for <c>localhost</c> and the loopback addresses, outside this PKI.
    /// </summary>
    /// <param name="commonName">The subject's common name.</param>
    public static X509Certificate2 CreateSelfSigned(string commonName = ServerName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        return Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(90)));
    }

    /// <summary>
    /// Writes <c>ca.pem</c>, <c>server.pem</c>, <c>server.key</c>, <c>client.pem</c> and <c>client.key</c> into
    /// <paramref name="directory"/>, for external peers such as <c>openssl</c> and <c>gnutls-cli</c>.
    /// </summary>
    /// <param name="directory">An existing directory the caller owns and deletes.</param>
    /// <returns>The paths written.</returns>
    public PemFiles WritePemFiles(string directory)
    {
        var files = new PemFiles(
            Path.Combine(directory, "ca.pem"),
            Path.Combine(directory, "server.pem"),
            Path.Combine(directory, "server.key"),
            Path.Combine(directory, "client.pem"),
            Path.Combine(directory, "client.key"));
        File.WriteAllText(files.CaCertificate, Root.ExportCertificatePem());
        File.WriteAllText(files.ServerCertificate, Server.ExportCertificatePem());
        File.WriteAllText(files.ServerKey, ExportKeyPem(Server));
        File.WriteAllText(files.ClientCertificate, Client.ExportCertificatePem());
        File.WriteAllText(files.ClientKey, ExportKeyPem(Client));
        return files;
    }

    /// <summary>The PKCS#8 PEM of a certificate's private key.</summary>
    /// <param name="certificate">A certificate with an ECDSA or RSA key.</param>
    public static string ExportKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _rootKey.Dispose();
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Root.Dispose();
    }

    private X509Certificate2 Issue(
        string subject,
        Oid usage,
        X509Extension? subjectAlternativeName,
        DateTimeOffset? notBefore,
        DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        if (subjectAlternativeName is not null)
        {
            request.CertificateExtensions.Add(subjectAlternativeName);
        }

        var from = notBefore ?? _now.AddDays(-1);
        var to = notAfter ?? _now.AddDays(90);
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var generator = X509SignatureGenerator.CreateForECDsa(_rootKey);
        using var signed = request.Create(Root.SubjectName, generator, from, to, serial);
        var certificate = Reload(signed.CopyWithPrivateKey(key));
        _issued.Add(certificate);
        return certificate;
    }

    // A PFX round trip gives a certificate whose key every consumer (SslStream on every platform) accepts.
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}

/// <summary>The PEM files a <see cref="TestPki"/> wrote.</summary>
/// <param name="CaCertificate">The root certificate.</param>
/// <param name="ServerCertificate">The server certificate.</param>
/// <param name="ServerKey">The server's private key (PKCS#8).</param>
/// <param name="ClientCertificate">The client certificate.</param>
/// <param name="ClientKey">The client's private key (PKCS#8).</param>
public sealed record PemFiles(
    string CaCertificate,
    string ServerCertificate,
    string ServerKey,
    string ClientCertificate,
    string ClientKey);
