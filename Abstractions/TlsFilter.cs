using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// A TLS filter: what every backend's filter reports beyond the five operations.
/// </summary>
/// <remarks>
/// Implementers MUST follow DESIGN.md section 2: close_notify is sent at most once; shutdown completes only on the
/// peer's close_notify and fails as <see cref="TlsErrorKind.Truncated"/> on a transport EOF without it; data that
/// arrives during shutdown is discarded, never delivered; receive reports end-of-stream only after close_notify;
/// close sends nothing; a handshake that failed sends no close_notify.
/// </remarks>
public abstract class TlsFilter : ConnectionFilter
{
    /// <summary>Creates a TLS filter.</summary>
    /// <param name="backendName">The backend's name, used in the filter name (<c>tls:NAME</c>).</param>
    /// <param name="role">Client or server.</param>
    /// <param name="next">The filter below.</param>
    /// <param name="options">The connection's options; validated here.</param>
    protected TlsFilter(string backendName, TlsRole role, ConnectionFilter next, TlsOptions options)
        : base(
            $"tls:{backendName}",
            next ?? throw new ArgumentNullException(nameof(next)),
            options?.LoggerFactory?.CreateLogger($"Vtls.{backendName}"))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(role);
        Role = role;
        Options = options;
    }

    /// <summary>The role this filter plays.</summary>
    public TlsRole Role { get; }

    /// <summary>The options it was made with.</summary>
    public TlsOptions Options { get; }

    /// <summary>The negotiated protocol version, once connected.</summary>
    public TlsProtocols NegotiatedProtocol { get; protected set; }

    /// <summary>The negotiated cipher suite's IANA name, once connected.</summary>
    public string? CipherSuite { get; protected set; }

    /// <summary>The ALPN protocol the peers agreed on, if any.</summary>
    public string? NegotiatedApplicationProtocol { get; protected set; }

    /// <summary>The peer's certificate, if it sent one.</summary>
    public X509Certificate2? PeerCertificate { get; protected set; }

    /// <summary>Whether this filter has put its close_notify on the wire (or handed it to the filter below).</summary>
    public bool IsCloseNotifySent { get; protected set; }

    /// <summary>Whether the peer's close_notify was received.</summary>
    public bool IsCloseNotifyReceived { get; protected set; }
}
