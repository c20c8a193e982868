using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;

namespace Vtls.Providers.BouncyCastle.Crypto;

/// <summary>
/// This side's certificate and private key (a server's, or a client's for client authentication), converted once
/// from <see cref="X509Certificate2"/> into what BouncyCastle signs with.
/// </summary>
internal sealed class LocalCredentials
{
    private readonly BcTlsCrypto _crypto;
    private readonly AsymmetricKeyParameter _privateKey;
    private readonly TlsCertificate[] _chain;
    private readonly int _keySize;

    private LocalCredentials(
        BcTlsCrypto crypto,
        AsymmetricKeyParameter privateKey,
        TlsCertificate[] chain,
        KeyAlgorithm algorithm,
        int keySize)
    {
        _crypto = crypto;
        _privateKey = privateKey;
        _chain = chain;
        Algorithm = algorithm;
        _keySize = keySize;
    }

    /// <summary>The key's algorithm.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>Converts <paramref name="certificate"/> (with its key) and its intermediates.</summary>
    /// <param name="crypto">The crypto provider the connection uses.</param>
    /// <param name="certificate">The leaf, with an ECDSA or RSA private key.</param>
    /// <param name="intermediates">Certificates sent after the leaf, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The key is neither ECDSA nor RSA, or cannot be exported.</exception>
    public static LocalCredentials From(
        BcTlsCrypto crypto,
        X509Certificate2 certificate,
        X509Certificate2Collection? intermediates)
    {
        // A PKCS#8 round trip is the one conversion that works for both key types, whatever the key's provider.
        KeyAlgorithm algorithm;
        byte[] pkcs8;
        int keySize;
        using (var ecdsa = certificate.GetECDsaPrivateKey())
        using (var rsa = ecdsa is null ? certificate.GetRSAPrivateKey() : null)
        {
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)ecdsa ?? rsa ?? throw new ArgumentException(
                $"The certificate '{certificate.Subject}' has no ECDSA or RSA private key; the bouncycastle backend " +
                "signs with those two only.",
                nameof(certificate));
            algorithm = ecdsa is null ? KeyAlgorithm.Rsa : KeyAlgorithm.Ecdsa;
            keySize = key.KeySize;
            try
            {
                pkcs8 = key.ExportPkcs8PrivateKey();
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException(
                    $"The private key of '{certificate.Subject}' cannot be exported, which the bouncycastle backend " +
                    "needs; load the certificate with an exportable key (X509KeyStorageFlags.Exportable).",
                    nameof(certificate),
                    e);
            }
        }

        try
        {
            var chain = new List<TlsCertificate> { new BcTlsCertificate(crypto, certificate.RawData) };
            foreach (var extra in intermediates ?? [])
            {
                chain.Add(new BcTlsCertificate(crypto, extra.RawData));
            }

            return new LocalCredentials(
                crypto,
                PrivateKeyFactory.CreateKey(pkcs8),
                chain.ToArray(),
                algorithm,
                keySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Creates the signer for one handshake.</summary>
    /// <param name="context">The handshake's context (it knows the negotiated version).</param>
    /// <param name="peerSignatureAlgorithms">What the peer accepts; <see langword="null"/> if it did not say.</param>
    /// <param name="requestContext">TLS 1.3 client authentication: the CertificateRequest's context.</param>
    /// <exception cref="TlsFatalAlert">No signature scheme both sides accept.</exception>
    public TlsCredentialedSigner CreateSigner(
        TlsContext context,
        IList<SignatureAndHashAlgorithm>? peerSignatureAlgorithms,
        byte[]? requestContext = null)
    {
        bool isTls13 = TlsUtilities.IsTlsV13(context);
        var certificate = isTls13
            ? new BcCertificate(
                requestContext ?? TlsUtilities.EmptyBytes,
                _chain.Select(c => new CertificateEntry(c, new Dictionary<int, byte[]>())).ToArray())
            : new BcCertificate(_chain);
        var scheme = ChooseScheme(isTls13, peerSignatureAlgorithms);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            _crypto,
            _privateKey,
            certificate,
            scheme);
    }

    private SignatureAndHashAlgorithm ChooseScheme(bool isTls13, IList<SignatureAndHashAlgorithm>? peerAccepts)
    {
        var candidates = Candidates(isTls13).Select(SignatureScheme.GetSignatureAndHashAlgorithm).ToList();
        if (peerAccepts is null || peerAccepts.Count == 0)
        {
            return candidates[0];
        }

        return candidates.FirstOrDefault(peerAccepts.Contains)
            ?? throw new TlsFatalAlert(
                AlertDescription.handshake_failure,
                $"The peer accepts no signature scheme this {Algorithm} key can make.");
    }

    private IEnumerable<int> Candidates(bool isTls13)
    {
        if (Algorithm == KeyAlgorithm.Ecdsa)
        {
            // RFC 8446, 4.2.3: in TLS 1.3 an ECDSA scheme names the curve, so the key size picks it.
            // https://www.rfc-editor.org/rfc/rfc8446#section-4.2.3
            yield return _keySize switch
            {
                <= 256 => SignatureScheme.ecdsa_secp256r1_sha256,
                <= 384 => SignatureScheme.ecdsa_secp384r1_sha384,
                _ => SignatureScheme.ecdsa_secp521r1_sha512,
            };
            yield break;
        }

        yield return SignatureScheme.rsa_pss_rsae_sha256;
        yield return SignatureScheme.rsa_pss_rsae_sha384;
        yield return SignatureScheme.rsa_pss_rsae_sha512;
        if (!isTls13)
        {
            // RFC 8446, 4.2.3: PKCS#1 v1.5 signatures are for TLS 1.2 only.
            // https://www.rfc-editor.org/rfc/rfc8446#section-4.2.3
            yield return SignatureScheme.rsa_pkcs1_sha256;
            yield return SignatureScheme.rsa_pkcs1_sha384;
        }
    }
}
