using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vtls;

/// <summary>How a peer's certificate is judged.</summary>
public enum TlsTrustMode
{
    /// <summary>Chain to the system's root store, and match the host name. The default.</summary>
    System,

    /// <summary>Chain to the given roots only (not the system's), and match the host name.</summary>
    CustomRoots,

    /// <summary>
    /// Accept exactly the certificates whose public key (SHA-256 of the SubjectPublicKeyInfo) is pinned; chain
    /// and name are not consulted, the pin is the identity.
    /// </summary>
    PinnedPublicKey,

    /// <summary>No verification at all. Only by explicit choice; the trace says so on every connection.</summary>
    Insecure,
}

/// <summary>
/// What a connection trusts. Secure by default: <see cref="System"/> verifies the chain and the host name.
/// </summary>
public sealed class TlsTrust
{
    private TlsTrust(
        TlsTrustMode mode,
        X509Certificate2Collection? roots,
        IReadOnlyList<byte[]>? pins)
    {
        Mode = mode;
        Roots = roots;
        PinnedSpkiSha256 = pins ?? [];
    }

    /// <summary>The system's roots, and the host name. The default.</summary>
    public static TlsTrust System { get; } = new(TlsTrustMode.System, null, null);

    /// <summary>How the peer is judged.</summary>
    public TlsTrustMode Mode { get; }

    /// <summary>The roots for <see cref="TlsTrustMode.CustomRoots"/>; otherwise <see langword="null"/>.</summary>
    public X509Certificate2Collection? Roots { get; }

    /// <summary>
    /// The pinned SHA-256 digests of SubjectPublicKeyInfo for <see cref="TlsTrustMode.PinnedPublicKey"/>.
    /// </summary>
    public IReadOnlyList<byte[]> PinnedSpkiSha256 { get; }

    /// <summary>Trusts only the given roots (and still checks the host name).</summary>
    /// <param name="roots">One or more root certificates.</param>
    public static TlsTrust CustomRoots(X509Certificate2Collection roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            throw new ArgumentException("At least one root certificate is needed.", nameof(roots));
        }

        return new TlsTrust(TlsTrustMode.CustomRoots, roots, null);
    }

    /// <summary>Trusts only the given roots (and still checks the host name).</summary>
    /// <param name="roots">One or more root certificates.</param>
    public static TlsTrust CustomRoots(params X509Certificate2[] roots) =>
        CustomRoots(new X509Certificate2Collection(roots));

    /// <summary>Accepts a peer whose public key has one of the given SHA-256 SubjectPublicKeyInfo digests.</summary>
    /// <param name="spkiSha256">Digests of 32 bytes each.</param>
    public static TlsTrust PinnedPublicKey(params byte[][] spkiSha256)
    {
        ArgumentNullException.ThrowIfNull(spkiSha256);
        if (spkiSha256.Length == 0 || spkiSha256.Any(p => p is not { Length: 32 }))
        {
            throw new ArgumentException("Pins are SHA-256 digests of 32 bytes; give at least one.", nameof(spkiSha256));
        }

        return new TlsTrust(TlsTrustMode.PinnedPublicKey, null, spkiSha256.Select(p => p.ToArray()).ToArray());
    }

    /// <summary>Pins the public key of <paramref name="certificate"/>.</summary>
    /// <param name="certificate">A certificate with the key to pin.</param>
    public static TlsTrust PinnedPublicKey(X509Certificate2 certificate) => PinnedPublicKey(SpkiSha256(certificate));

    /// <summary>
    /// Turns verification off: any certificate, any name. For tests and diagnosis only; the peer is not
    /// authenticated and the trace warns on every connection.
    /// </summary>
    public static TlsTrust InsecureSkipVerification() => new(TlsTrustMode.Insecure, null, null);

    /// <summary>The SHA-256 digest of a certificate's SubjectPublicKeyInfo, the value a pin holds.</summary>
    /// <param name="certificate">The certificate.</param>
    public static byte[] SpkiSha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    /// <inheritdoc/>
    public override string ToString() => Mode switch
    {
        TlsTrustMode.CustomRoots => $"custom roots ({Roots!.Count})",
        TlsTrustMode.PinnedPublicKey => $"pinned public key ({PinnedSpkiSha256.Count})",
        TlsTrustMode.Insecure => "verification off",
        _ => "system roots",
    };
}
