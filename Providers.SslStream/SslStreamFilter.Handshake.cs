using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vtls.Providers.SslStream;

/// <summary>The handshake: options for SslStream, the certificate check, and what was negotiated.</summary>
public sealed partial class SslStreamFilter
{
    private Task? _handshake;
    private string? _certificateFailure;

    /// <inheritdoc/>
    protected override Progress ConnectCore() => Step(() =>
    {
        _handshake ??= StartHandshake();
        Pump();
        if (!_handshake.IsCompleted)
        {
            Interest = PendingInterest();
            return Progress.WouldBlock;
        }

        if (!_handshake.IsCompletedSuccessfully)
        {
            throw HandshakeFailed(_handshake.Exception?.InnerException ?? new AuthenticationException());
        }

        // The last flight (a client's Finished) may still be queued. Connected means it has left: otherwise a
        // peer waiting for it and a caller waiting to read would wait on each other.
        if (!FlushOutbound())
        {
            Interest = IoInterest.Write;
            return Progress.WouldBlock;
        }

        RecordSession();
        IsConnected = true;
        Interest = IoInterest.None;
        return Progress.Done;
    });

    private Task StartHandshake()
    {
        SslStreamLog.HandshakeStarted(Logger, Name, Role, Options.Protocols, Options.ServerName);
        try
        {
            return Role == TlsRole.Client
                ? _ssl.AuthenticateAsClientAsync(BuildClientOptions(), CancellationToken.None)
                : _ssl.AuthenticateAsServerAsync(BuildServerOptions(), CancellationToken.None);
        }
        catch (Exception e) when (e is ArgumentException or AuthenticationException or NotSupportedException)
        {
            // Settings SslStream refuses up front fail the handshake like any other cause.
            return Task.FromException(e);
        }
    }

    private SslClientAuthenticationOptions BuildClientOptions() => new()
    {
        // SNI (RFC 6066, 3). An empty name sends none; SslStream itself never sends an IP address as SNI.
        TargetHost = Options.ServerName ?? string.Empty,
        EnabledSslProtocols = ToSslProtocols(Options.Protocols),
        ApplicationProtocols = ToApplicationProtocols(Options.ApplicationProtocols),
        ClientCertificateContext = CreateCertificateContext(),

        // Revocation needs the network; the shared verifier does not check it either.
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };

    private SslServerAuthenticationOptions BuildServerOptions() => new()
    {
        ServerCertificateContext = CreateCertificateContext(),
        ClientCertificateRequired = Options.RequireClientCertificate,
        EnabledSslProtocols = ToSslProtocols(Options.Protocols),
        ApplicationProtocols = ToApplicationProtocols(Options.ApplicationProtocols),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };

    private SslStreamCertificateContext? CreateCertificateContext() =>
        Options.Certificate is null
            ? null
            // offline: never fetch missing intermediates or OCSP responses from the network.
            : SslStreamCertificateContext.Create(Options.Certificate, Options.CertificateChain, offline: true);

    /// <summary>
    /// SslStream's certificate callback, which replaces its own verdict by the shared one
    /// (<see cref="CertificateVerifier"/>), so that every backend accepts and rejects the same certificates.
    /// </summary>
    private bool ValidatePeerCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors sslPolicyErrors)
    {
        var peerRole = Role == TlsRole.Client ? TlsRole.Server : TlsRole.Client;
        if (peerRole == TlsRole.Client && certificate is null && !Options.RequireClientCertificate)
        {
            return true;
        }

        var leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

        // SslStream puts the certificates the peer sent after its own into the chain's extra store.
        var intermediates = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToArray() ?? [];
        try
        {
            CertificateVerifier.Verify(leaf, intermediates, Options, peerRole, Logger, Name);
            return true;
        }
        catch (TlsException e) when (e.Kind == TlsErrorKind.Certificate)
        {
            // Kept to name the real cause when SslStream reports the failed handshake in its own words.
            _certificateFailure = e.Message;
            return false;
        }
        finally
        {
            leaf?.Dispose();
        }
    }

    private void RecordSession()
    {
        NegotiatedProtocol = _ssl.SslProtocol switch
        {
            SslProtocols.Tls13 => TlsProtocols.Tls13,
            SslProtocols.Tls12 => TlsProtocols.Tls12,
            _ => TlsProtocols.None,
        };

        // TlsCipherSuite's member names are the IANA registry's names.
        CipherSuite = _ssl.NegotiatedCipherSuite.ToString();
        var alpn = _ssl.NegotiatedApplicationProtocol.Protocol;
        NegotiatedApplicationProtocol = alpn.IsEmpty ? null : Encoding.UTF8.GetString(alpn.Span);

        // A copy of our own: SslStream releases its certificate objects when it is disposed.
        PeerCertificate = _ssl.RemoteCertificate is { } remote
            ? X509CertificateLoader.LoadCertificate(remote.GetRawCertData())
            : null;
        SslStreamLog.HandshakeDone(
            Logger,
            Name,
            NegotiatedProtocol,
            CipherSuite,
            NegotiatedApplicationProtocol ?? "none",
            PeerCertificate?.Subject ?? "none");
    }

    private static SslProtocols ToSslProtocols(TlsProtocols protocols)
    {
        var result = SslProtocols.None;
        if (protocols.HasFlag(TlsProtocols.Tls12))
        {
            result |= SslProtocols.Tls12;
        }

        if (protocols.HasFlag(TlsProtocols.Tls13))
        {
            result |= SslProtocols.Tls13;
        }

        return result;
    }

    private static List<SslApplicationProtocol>? ToApplicationProtocols(IList<string>? names) =>
        names is null || names.Count == 0
            ? null
            : names.Select(name => new SslApplicationProtocol(name)).ToList();
}
