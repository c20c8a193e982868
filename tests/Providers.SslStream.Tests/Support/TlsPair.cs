using Vtls.Conformance.Pki;
using Vtls.Providers.SslStream;

namespace Vtls.Tests.Support;

/// <summary>
/// An sslstream client and an sslstream server over one real loopback TCP connection, each with a
/// <see cref="WireTap"/> between TLS and TCP (and, optionally, more test filters under the tap).
/// </summary>
internal sealed class TlsPair : IDisposable
{
    private TlsPair(
        TcpSocketFilter clientTcp,
        TcpSocketFilter serverTcp,
        WireTap clientWire,
        WireTap serverWire,
        TlsFilter client,
        TlsFilter server)
    {
        ClientTcp = clientTcp;
        ServerTcp = serverTcp;
        ClientWire = clientWire;
        ServerWire = serverWire;
        Client = client;
        Server = server;
    }

    public TcpSocketFilter ClientTcp { get; }

    public TcpSocketFilter ServerTcp { get; }

    public WireTap ClientWire { get; }

    public WireTap ServerWire { get; }

    public TlsFilter Client { get; }

    public TlsFilter Server { get; }

    /// <summary>Options for a client that trusts <paramref name="pki"/>'s root and expects <c>localhost</c>.</summary>
    public static TlsOptions ClientOptions(TestPki pki, TlsProtocols protocols = TlsProtocols.Tls12And13) => new()
    {
        ServerName = TestPki.ServerName,
        Trust = TlsTrust.CustomRoots(pki.Root),
        Protocols = protocols,
    };

    /// <summary>Options for a server with <paramref name="pki"/>'s localhost certificate.</summary>
    public static TlsOptions ServerOptions(TestPki pki, TlsProtocols protocols = TlsProtocols.Tls12And13) => new()
    {
        Certificate = pki.Server,
        Trust = TlsTrust.CustomRoots(pki.Root),
        Protocols = protocols,
    };

    public static TlsPair Create(
        TlsOptions clientOptions,
        TlsOptions serverOptions,
        Func<ConnectionFilter, ConnectionFilter>? clientTransport = null,
        Func<ConnectionFilter, ConnectionFilter>? serverTransport = null)
    {
        var (clientSocket, serverSocket) = Loopback.Connect();
        var clientTcp = new TcpSocketFilter(clientSocket);
        var serverTcp = new TcpSocketFilter(serverSocket);
        var clientWire = new WireTap(clientTransport?.Invoke(clientTcp) ?? clientTcp);
        var serverWire = new WireTap(serverTransport?.Invoke(serverTcp) ?? serverTcp);
        var backend = SslStreamBackend.Instance;
        return new TlsPair(
            clientTcp,
            serverTcp,
            clientWire,
            serverWire,
            backend.CreateClient(clientWire, clientOptions),
            backend.CreateServer(serverWire, serverOptions));
    }

    public static TlsPair Create(TestPki pki, TlsProtocols protocols = TlsProtocols.Tls12And13) =>
        Create(ClientOptions(pki, protocols), ServerOptions(pki, protocols));

    /// <summary>A pair whose handshake is done.</summary>
    public static TlsPair Connected(TestPki pki, TlsProtocols protocols = TlsProtocols.Tls12And13)
    {
        var pair = Create(pki, protocols);
        pair.Handshake();
        return pair;
    }

    public void Handshake() => Drive.Until(Drive.Connect(Client), Drive.Connect(Server));

    /// <summary>The size of one close_notify record's payload for the negotiated protocol (AES-GCM suites).</summary>
    /// <remarks>
    /// TLS 1.3: 2 alert bytes + 1 content type + 16 tag = 19. TLS 1.2 GCM: 8 explicit nonce + 2 + 16 tag = 26.
    /// </remarks>
    public int CloseNotifyLength => Client.NegotiatedProtocol == TlsProtocols.Tls13 ? 19 : 26;

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
