using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Vtls.Providers.BouncyCastle.Peers;
using Vtls.Providers.BouncyCastle.Protocol;

namespace Vtls.Providers.BouncyCastle;

/// <summary>
/// A TLS filter over BouncyCastle's protocol in non-blocking mode: bytes from the filter below go into
/// <c>OfferInput</c>, bytes from <c>ReadOutput</c> go to the filter below, and nothing ever blocks.
/// </summary>
/// <remarks>
/// The partial files split it by concern: the transport pump (<c>.Transport.cs</c>), application data
/// (<c>.Data.cs</c>), graceful shutdown (<c>.Shutdown.cs</c>), BouncyCastle's callbacks (<c>.Events.cs</c>) and
/// error mapping (<c>.Errors.cs</c>).
/// </remarks>
internal sealed partial class BouncyCastleFilter : TlsFilter
{
    private readonly BcTlsCrypto _crypto;
    private readonly VtlsTlsClient? _client;
    private readonly VtlsTlsServer? _server;
    private IVtlsProtocol? _protocol;
    private bool _handshakeCompleted;
    private bool _endOfStreamReported;

    public BouncyCastleFilter(TlsRole role, ConnectionFilter next, TlsOptions options)
        : base(BouncyCastleBackend.Instance.Name, role, next, options)
    {
        _crypto = new BcTlsCrypto(new SecureRandom());
        var events = new PeerEvents(this);
        if (role == TlsRole.Client)
        {
            _client = new VtlsTlsClient(_crypto, options, events);
        }
        else
        {
            _server = new VtlsTlsServer(_crypto, options, events);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Decrypted data waiting in the protocol, a close_notify not yet reported as end-of-stream, or a whole record
    /// not yet offered: a <see cref="ConnectionFilter.Receive"/> gets on without transport I/O.
    /// </remarks>
    public override bool HasBufferedInput =>
        (_protocol is { } p && p.Protocol.GetAvailableInputBytes() > 0)
        || (IsCloseNotifyReceived && !_endOfStreamReported)
        || (!IsCloseNotifyReceived && HasCompleteRecord)
        || base.HasBufferedInput;

    /// <inheritdoc/>
    protected override Progress ConnectCore()
    {
        var protocol = _protocol ?? Start();
        _readThisCall = 0;
        while (true)
        {
            CollectOutput(protocol);
            if (!FlushOutput())
            {
                Interest = IoInterest.Write;
                return Progress.WouldBlock;
            }

            if (_handshakeCompleted)
            {
                OnConnected();
                return Progress.Done;
            }

            var read = ReadTransport();
            if (read.IsWouldBlock)
            {
                Interest = IoInterest.Read;
                return Progress.WouldBlock;
            }

            if (read.IsEndOfStream)
            {
                throw TransportEnded(protocol, "during the handshake");
            }

            OfferRecords(protocol);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Drops the protocol objects without calling their <c>Close()</c>, which would queue close_notify (and
    /// user_canceled mid-handshake); bytes still queued are dropped too. The base closes the filter below.
    /// </remarks>
    protected override void CloseCore()
    {
        _protocol = null;
        DropPendingOutput();
    }

    private IVtlsProtocol Start()
    {
        BouncyCastleLog.HandshakeStarted(Logger, Name, Role, Options.Protocols);
        try
        {
            // Non-blocking mode: the constructors without a stream. Connect/Accept only queue the first flight.
            if (_client is not null)
            {
                var client = new VtlsClientProtocol();
                _protocol = client;
                client.Connect(_client);
            }
            else
            {
                var server = new VtlsServerProtocol();
                _protocol = server;
                server.Accept(_server!);
            }
        }
        catch (IOException e) when (e is not TlsException)
        {
            throw Failure(e);
        }

        return _protocol;
    }

    private void OnConnected()
    {
        var parameters = _client?.SecurityParameters ?? _server!.SecurityParameters!;
        NegotiatedProtocol = ProtocolVersions.ToTlsProtocols(parameters.NegotiatedVersion);
        CipherSuite = CipherSuites.Name(parameters.CipherSuite);
        NegotiatedApplicationProtocol = parameters.ApplicationProtocol?.GetUtf8Decoding();
        if (_server?.RequestedServerName is { } serverName)
        {
            BouncyCastleLog.ServerNameReceived(Logger, Name, serverName);
        }

        IsConnected = true;
        Interest = IoInterest.None;
        BouncyCastleLog.HandshakeDone(
            Logger,
            Name,
            NegotiatedProtocol,
            CipherSuite,
            NegotiatedApplicationProtocol ?? "none");
    }
}
