using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// The one certificate check every backend uses, so that the same certificate gets the same verdict and the same
/// error whatever the backend: chain to the trusted roots, validity period, key usage, host name, or pin.
/// </summary>
public static class CertificateVerifier
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// Verifies the peer's certificate against <paramref name="options"/>.
    /// </summary>
    /// <param name="leaf">The peer's end-entity certificate, or <see langword="null"/> if it sent none.</param>
    /// <param name="intermediates">Other certificates the peer sent.</param>
    /// <param name="options">Trust settings, server name and clock.</param>
    /// <param name="peerRole">The role of the peer whose certificate this is.</param>
    /// <param name="logger">Trace sink.</param>
    /// <param name="filterName">The filter name for the trace.</param>
    /// <exception cref="TlsException">
    /// <see cref="TlsErrorKind.Certificate"/>, with a message that says why and what to do.
    /// </exception>
    public static void Verify(
        X509Certificate2? leaf,
        IEnumerable<X509Certificate2> intermediates,
        TlsOptions options,
        TlsRole peerRole,
        ILogger? logger = null,
        string filterName = "tls")
    {
        ArgumentNullException.ThrowIfNull(options);
        string? failure = Check(leaf, intermediates, options, peerRole);
        if (failure is null)
        {
            if (logger is not null)
            {
                if (options.Trust.Mode == TlsTrustMode.Insecure)
                {
                    FilterLog.VerificationOff(logger, filterName);
                }
                else
                {
                    FilterLog.CertificateAccepted(logger, filterName, leaf!.Subject, options.Trust.ToString());
                }
            }

            return;
        }

        if (logger is not null)
        {
            FilterLog.CertificateRejected(logger, filterName, failure);
        }

        throw new TlsException(TlsErrorKind.Certificate, failure);
    }

    /// <summary>
    /// The check behind <see cref="Verify"/>: <see langword="null"/> when the certificate is accepted, otherwise
    /// the reason it is not.
    /// </summary>
    /// <param name="leaf">The peer's end-entity certificate, or <see langword="null"/>.</param>
    /// <param name="intermediates">Other certificates the peer sent.</param>
    /// <param name="options">Trust settings, server name and clock.</param>
    /// <param name="peerRole">The role of the peer whose certificate this is.</param>
    public static string? Check(
        X509Certificate2? leaf,
        IEnumerable<X509Certificate2> intermediates,
        TlsOptions options,
        TlsRole peerRole)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trust = options.Trust;
        if (trust.Mode == TlsTrustMode.Insecure)
        {
            return null;
        }

        if (leaf is null)
        {
            return $"The {Describe(peerRole)} sent no certificate.";
        }

        if (trust.Mode == TlsTrustMode.PinnedPublicKey)
        {
            var digest = TlsTrust.SpkiSha256(leaf);
            return trust.PinnedSpkiSha256.Any(pin => CryptographicOperations.FixedTimeEquals(pin, digest))
                ? null
                : $"The {Describe(peerRole)}'s public key (sha256//{Convert.ToBase64String(digest)}) matches no pin.";
        }

        string? chainFailure = CheckChain(leaf, intermediates, options, peerRole);
        if (chainFailure is not null)
        {
            return chainFailure;
        }

        if (peerRole == TlsRole.Server)
        {
            string? host = options.ServerName;
            if (string.IsNullOrWhiteSpace(host))
            {
                return "No ServerName is set, so the server certificate's name cannot be checked. Set ServerName " +
                       "to the host name (or address) you connect to.";
            }

            if (!leaf.MatchesHostname(host, allowWildcards: true, allowCommonName: false))
            {
                return $"The server certificate ({leaf.Subject}) is not valid for the name '{host}'; " +
                       "its subject alternative names do not match. Connect with the name it was issued for.";
            }
        }

        return null;
    }

    private static string? CheckChain(
        X509Certificate2 leaf,
        IEnumerable<X509Certificate2> intermediates,
        TlsOptions options,
        TlsRole peerRole)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;

        // Revocation and fetching missing intermediates (AIA) need the network, which a library cannot assume;
        // without downloads the verdict depends only on what the peer sent and what is trusted.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        // UTC with its kind: a local wall-clock time of unspecified kind would be read in the machine's zone,
        // not the clock's, and shift validity by the difference.
        policy.VerificationTime = options.TimeProvider.GetUtcNow().UtcDateTime;
        policy.ApplicationPolicy.Add(peerRole == TlsRole.Server ? ServerAuth : ClientAuth);
        foreach (var extra in intermediates)
        {
            if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                policy.ExtraStore.Add(extra);
            }
        }

        if (options.Trust.Mode == TlsTrustMode.CustomRoots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(options.Trust.Roots!);
        }

        if (chain.Build(leaf))
        {
            return null;
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        string who = Describe(peerRole);
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return $"The {who} certificate ({leaf.Subject}) is expired or not yet valid " +
                   $"(valid {leaf.NotBefore:u} to {leaf.NotAfter:u}).";
        }

        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return $"The {who} certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to a trusted " +
                   "root. Trust its root (TlsTrust.CustomRoots; --ca in vtls) or pin its public key.";
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            return $"The {who} certificate ({leaf.Subject}) is not valid for TLS {who} authentication " +
                   "(extended key usage).";
        }

        var detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
        return $"The {who} certificate ({leaf.Subject}) failed verification: {detail}";
    }

    private static string Describe(TlsRole role) => role == TlsRole.Server ? "server" : "client";
}
