using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// A TLS filter: what every backend's filter reports beyond the five operations.
/// </summary>
/// <remarks>
/// <para>Implementers MUST follow these rules, which the conformance suite checks on the wire:</para>
/// <list type="bullet">
/// <item>close_notify is sent at most once, whatever would-blocks and partial writes happen on the way.</item>
/// <item>The shutdown step that puts close_notify on the wire reads nothing: unless the peer's close_notify already
/// came, it returns would-block (wanting read), so that a half-closing driver can still receive the peer's data.
/// Later shutdown steps read until the peer's close_notify and discard application data met on the way; they
/// never deliver it.</item>
/// <item>Shutdown completes only on the peer's close_notify; a transport EOF without it fails as
/// <see cref="TlsErrorKind.Truncated"/>, a reset as <see cref="TlsErrorKind.TransportReset"/>.</item>
/// <item>Receive reports end-of-stream only after the peer's close_notify; after it, later bytes are ignored.</item>
/// <item>Close sends nothing; a handshake that failed sends no close_notify; after a fatal alert, none either.</item>
/// </list>
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
