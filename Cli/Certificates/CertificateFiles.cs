using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vtls.Cli.Certificates;

/// <summary>A certificate with its private key, and the intermediates to send after it.</summary>
/// <param name="Certificate">The end-entity certificate, with its private key.</param>
/// <param name="Chain">Intermediates from the same file, leaf first; empty when there are none.</param>
internal sealed record CertificateWithChain(X509Certificate2 Certificate, X509Certificate2Collection Chain);

/// <summary>
/// Loads the certificate files the command line names. Every failure is a usage error that names the file.
/// </summary>
internal static class CertificateFiles
{
    /// <summary>Loads a PEM certificate (optionally followed by intermediates) and its PEM private key.</summary>
    /// <param name="certificatePath">The certificate file (<c>--cert</c>).</param>
    /// <param name="keyPath">The private key file (<c>--key</c>), PKCS#8, PKCS#1 or SEC1.</param>
    public static CertificateWithChain LoadPemPair(string certificatePath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

            // A PKCS#12 round trip gives a key every consumer accepts (SslStream needs a persisted-style key).
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificatePath);
            var chain = new X509Certificate2Collection();
            foreach (var extra in all.Skip(1))
            {
                chain.Add(extra);
            }

            return new CertificateWithChain(certificate, chain);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException
                                      or ArgumentException)
        {
            throw new UsageException(
                $"Cannot load the certificate '{certificatePath}' with the key '{keyPath}': {e.Message}",
                e);
        }
    }

    /// <summary>Loads a PKCS#12 (PFX) file: the first certificate with a key; the others are intermediates.</summary>
    /// <param name="path">The file (<c>--pfx</c>).</param>
    /// <param name="password">Its password, or <see langword="null"/>.</param>
    public static CertificateWithChain LoadPfx(string path, string? password)
    {
        // The PKCS#12 loader reports a missing file as a cryptographic error; say what is wrong instead.
        if (!File.Exists(path))
        {
            throw new UsageException($"Cannot load the PFX file '{path}': the file was not found.");
        }

        try
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new UsageException($"The PFX file '{path}' holds no certificate with a private key.");
            var chain = new X509Certificate2Collection();
            foreach (var extra in all.Where(c => !ReferenceEquals(c, leaf)))
            {
                chain.Add(extra);
            }

            return new CertificateWithChain(leaf, chain);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"Cannot load the PFX file '{path}': {e.Message}", e);
        }
    }

    /// <summary>Loads trusted root certificates from a PEM file (one or more) or a single DER file.</summary>
    /// <param name="path">The file (<c>--ca</c>).</param>
    public static X509Certificate2Collection LoadRoots(string path)
    {
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }

            return roots;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"Cannot load the CA certificate '{path}': {e.Message}", e);
        }
    }
}
