using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// The settings of one TLS connection, the same type for every backend and both roles. Defaults are secure:
/// TLS 1.2 and 1.3, system roots, host name checked.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>
    /// Client: the name sent in SNI and matched against the server's certificate. Required for a client unless
    /// trust is <see cref="TlsTrustMode.PinnedPublicKey"/> or <see cref="TlsTrustMode.Insecure"/>.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>How the peer's certificate is judged. Default: <see cref="TlsTrust.System"/>.</summary>
    public TlsTrust Trust { get; set; } = TlsTrust.System;

    /// <summary>
    /// Server: the certificate to present (required). Client: the client certificate, if the server asks. Must
    /// carry its private key.
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Intermediate certificates sent after <see cref="Certificate"/>, leaf first.</summary>
    public X509Certificate2Collection? CertificateChain { get; set; }

    /// <summary>Server: whether a client certificate is requested and required.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>The protocol versions allowed. Default: TLS 1.2 and 1.3.</summary>
    public TlsProtocols Protocols { get; set; } = TlsProtocols.Tls12And13;

    /// <summary>ALPN protocol names, in preference order (for example <c>h2</c>, <c>http/1.1</c>).</summary>
    public IList<string> ApplicationProtocols { get; set; } = new List<string>();

    /// <summary>The handshake's time budget, enforced by the async adapter. Default 30 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The graceful shutdown's time budget (DESIGN.md 2, rule 7). Default 2 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where filters trace; <see langword="null"/> for no trace.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for budgets and certificate validity. Default: the system's.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks that the options make sense for <paramref name="role"/>.</summary>
    /// <param name="role">The role the options are for.</param>
    /// <exception cref="ArgumentException">A setting is missing or contradictory; the message says which.</exception>
    public void Validate(TlsRole role)
    {
        if (Trust is null)
        {
            throw new ArgumentException("Trust must be set; use TlsTrust.System for the default.", nameof(Trust));
        }

        if (Protocols == TlsProtocols.None || (Protocols & ~TlsProtocols.Tls12And13) != 0)
        {
            throw new ArgumentException(
                $"Protocols must be TLS 1.2, TLS 1.3 or both; got {Protocols}.",
                nameof(Protocols));
        }

        if (HandshakeTimeout <= TimeSpan.Zero && HandshakeTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("HandshakeTimeout must be positive or infinite.", nameof(HandshakeTimeout));
        }

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "ShutdownTimeout must be positive: a shutdown without a budget can hang on a silent peer.",
                nameof(ShutdownTimeout));
        }

        // RFC 7301, 3.1: "opaque ProtocolName<1..2^8-1>; ... ProtocolName protocol_name_list<2..2^16-1>"
        // https://www.rfc-editor.org/rfc/rfc7301#section-3.1
        // Names go on the wire as UTF-8, so the limits count UTF-8 bytes, not characters.
        int listLength = 0;
        foreach (var alpn in ApplicationProtocols ?? [])
        {
            int length = string.IsNullOrEmpty(alpn) ? 0 : System.Text.Encoding.UTF8.GetByteCount(alpn);
            if (length is < 1 or > 255)
            {
                throw new ArgumentException(
                    $"ALPN protocol names must be 1 to 255 bytes (UTF-8); got '{alpn}' ({length} bytes).",
                    nameof(ApplicationProtocols));
            }

            listLength += 1 + length;
        }

        if (listLength > ushort.MaxValue)
        {
            throw new ArgumentException(
                $"The ALPN list takes {listLength} bytes; at most 65535 fit in the extension.",
                nameof(ApplicationProtocols));
        }

        if (Certificate is { HasPrivateKey: false })
        {
            throw new ArgumentException(
                $"The certificate '{Certificate.Subject}' has no private key; load it with its key (PFX or PEM pair).",
                nameof(Certificate));
        }

        if (role == TlsRole.Server && Certificate is null)
        {
            throw new ArgumentException("A server needs a Certificate with its private key.", nameof(Certificate));
        }

        bool needsName = Trust.Mode is TlsTrustMode.System or TlsTrustMode.CustomRoots;
        if (role == TlsRole.Client && needsName && string.IsNullOrWhiteSpace(ServerName))
        {
            throw new ArgumentException(
                "A client that verifies the server needs ServerName (the host name to check); " +
                "pin the public key or turn verification off explicitly to go without one.",
                nameof(ServerName));
        }
    }

    /// <summary>A shallow copy, so that one template can serve many connections.</summary>
    public TlsOptions Clone()
    {
        var copy = (TlsOptions)MemberwiseClone();
        copy.ApplicationProtocols = new List<string>(ApplicationProtocols ?? []);
        return copy;
    }
}
