using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Vtls.Conformance.Pki;
using Vtls.Conformance.Xunit;
using Vtls.Providers.SslStream;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// The provider against <c>openssl s_server</c> and <c>s_client</c> (OpenSSL 3.0), where an independent peer
/// pins a behaviour: what it saw on its side (its <c>-msg</c> trace), and what the provider reported.
/// </summary>
public sealed partial class OpenSslInteropTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-openssl");
    private readonly PemDirectory _pem;

    public OpenSslInteropTests() => _pem = new PemDirectory(_pki);

    public void Dispose()
    {
        _pem.Dispose();
        _pki.Dispose();
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Client_AgainstSServer_ExchangesDataAndClosesGracefully(TlsProtocols protocol)
    {
        var (server, port) = OpenSslProcess.StartServer(_pem.Server);
        using var _ = server;
        using var tap = Connect(port, protocol, out var client);
        using var clientScope = client;
        var received = new MemoryStream();

        Drive.Until(Drive.SendAll(client, "hello from vtls\n"u8.ToArray()));
        server.WaitForLine("hello from vtls");
        server.Write("hello from openssl\n");
        Drive.Until(Drive.ReceiveExactly(client, received, "hello from openssl\n".Length));
        Drive.Until(Drive.Shutdown(client));

        // s_server read one close_notify, answered with its own, and the provider's shutdown completed on it.
        server.WaitForLine("DONE");
        Assert.Equal(protocol, client.NegotiatedProtocol);
        Assert.Equal("hello from openssl\n", Encoding.ASCII.GetString(received.ToArray()));
        Assert.True(client.IsCloseNotifyReceived);
        Assert.Equal(1, CountAlerts(server.Output, received: true, "close_notify"));
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_SServerQuitsWithoutCloseNotify_Truncated(TlsProtocols protocol)
    {
        var (server, port) = OpenSslProcess.StartServer(_pem.Server);
        using var _ = server;
        using var tap = Connect(port, protocol, out var client);
        using var clientScope = client;
        var received = new MemoryStream();

        // FACTS: on Q, s_server closes the socket before any close_notify leaves: a bare FIN at a boundary.
        server.Write("last words\n");
        Drive.Until(Drive.ReceiveExactly(client, received, "last words\n".Length));
        server.Write("Q\n");
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(client, received));

        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
        Assert.False(client.IsCloseNotifyReceived);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_SServerSendsFatalAlert_AlertReceivedNamingIt(TlsProtocols protocol)
    {
        var (server, port) = OpenSslProcess.StartServer(_pem.Server);
        using var _ = server;
        using var tap = Connect(port, protocol, out var client);
        using var clientScope = client;
        tap.Hold = true;
        Drive.Until(Drive.SendAll(client, "tampered\n"u8.ToArray()));
        var record = tap.TakeHeld();
        tap.Hold = false;
        record[^1] ^= 0x55;

        Loopback.SendRaw(tap.Transport.Socket!, record);
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(client, new MemoryStream()));
        long sentBefore = tap.SentBytes;

        // R06 and S11: the alert is named; afterwards shutdown fails with it and sends nothing.
        Assert.Equal(TlsErrorKind.AlertReceived, error.Kind);
        Assert.Equal(TlsAlertDescription.BadRecordMac, error.Alert);
        server.WaitForLine(new Regex("^>>> .*Alert.*bad_record_mac"));
        Assert.Equal(1, CountAlerts(server.Output, received: false, "bad_record_mac"));
        Assert.Same(error, Assert.Throws<TlsException>(() => client.Shutdown()));
        Assert.Equal(sentBefore, tap.SentBytes);
        Assert.False(client.IsCloseNotifySent);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Server_AgainstSClient_ReceivesDataThenCloseNotify(TlsProtocols protocol)
    {
        using var listener = Listen(out int port);
        using var sClient = OpenSslProcess.Start(SClientArguments(port, protocol));
        var tap = new WireTap(new TcpSocketFilter(Accept(listener)));
        using var server = SslStreamBackend.Instance.CreateServer(tap, TlsPair.ServerOptions(_pki, protocol));
        var received = new MemoryStream();

        Drive.Until(Drive.Connect(server));
        sClient.Write("hello from openssl\n");
        sClient.CloseInput();
        Drive.Until(Drive.ReceiveToEnd(server, received));
        int before = tap.SentRecords.Count;
        var progress = server.Shutdown();

        // s_client sent close_notify on stdin EOF; the provider saw it as the end, and answered it once
        // without waiting for anything more (S03).
        Assert.Equal("hello from openssl\n", Encoding.ASCII.GetString(received.ToArray()));
        Assert.Equal(Progress.Done, progress);
        Assert.Equal(1, tap.SentRecords.Count - before);
        Assert.True(sClient.WaitForExit());
        Assert.Equal(1, CountAlerts(sClient.Output, received: false, "close_notify"));
    }

    [ExternalPeersFact]
    public void Server_SClientDistrustsCertificate_AlertReceivedUnknownCa()
    {
        using var listener = Listen(out int port);
        using var stranger = TestPki.Create("stranger");
        using var strangerPem = new PemDirectory(stranger);
        using var sClient = OpenSslProcess.Start(
            ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-CAfile",
             strangerPem.Files.CaCertificate, "-verify_return_error", "-msg"]);
        var tap = new WireTap(new TcpSocketFilter(Accept(listener)));
        using var server = SslStreamBackend.Instance.CreateServer(tap, TlsPair.ServerOptions(_pki));

        var error = Drive.UntilThrows(Drive.Connect(server));
        long sent = tap.SentBytes;

        // The handshake never finished, so shutdown rethrows the failure and sends nothing (S10).
        Assert.Equal(TlsErrorKind.AlertReceived, error.Kind);
        Assert.Equal(TlsAlertDescription.UnknownCa, error.Alert);
        Assert.Contains("unknown_ca", error.Message);
        Assert.Same(error, Assert.Throws<TlsException>(() => server.Shutdown()));
        Assert.Equal(sent, tap.SentBytes);
        Assert.False(server.IsCloseNotifySent);
    }

    [ExternalPeersFact]
    public void Server_SClientWithCertificate_ServerSeesIt()
    {
        using var listener = Listen(out int port);
        using var sClient = OpenSslProcess.Start(
        [
            .. SClientArguments(port, TlsProtocols.Tls13), "-cert", _pem.Files.ClientCertificate, "-key",
            _pem.Files.ClientKey,
        ]);
        var options = TlsPair.ServerOptions(_pki);
        options.RequireClientCertificate = true;
        using var server = SslStreamBackend.Instance.CreateServer(new TcpSocketFilter(Accept(listener)), options);

        Drive.Until(Drive.Connect(server));

        Assert.Equal(_pki.Client.Thumbprint, server.PeerCertificate?.Thumbprint);
    }

    [ExternalPeersFact]
    public void Client_SServerRefusesMissingClientCertificate_FailsWithAlert()
    {
        var (server, port) = OpenSslProcess.StartServer(_pem.Server, "-Verify", "1", "-tls1_2");
        using var _ = server;
        var tcp = new TcpSocketFilter(new IPEndPoint(IPAddress.Loopback, port));
        using var client = SslStreamBackend.Instance.CreateClient(tcp, TlsPair.ClientOptions(_pki));

        var error = Drive.UntilThrows(Drive.Connect(client));

        // TLS 1.2: s_server refuses the empty Certificate message with handshake_failure during the handshake.
        Assert.Equal(TlsErrorKind.AlertReceived, error.Kind);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, error.Alert);
        Assert.False(client.IsCloseNotifySent);
    }

    private WireTap Connect(int port, TlsProtocols protocol, out TlsFilter client)
    {
        var tap = new WireTap(new TcpSocketFilter(new IPEndPoint(IPAddress.Loopback, port)));
        client = SslStreamBackend.Instance.CreateClient(tap, TlsPair.ClientOptions(_pki, protocol));
        var connecting = client;
        Drive.Until(Drive.Connect(connecting));
        return tap;
    }

    private string[] SClientArguments(int port, TlsProtocols protocol) =>
    [
        "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-CAfile",
        _pem.Files.CaCertificate, "-verify_return_error", "-msg",
        protocol == TlsProtocols.Tls12 ? "-tls1_2" : "-tls1_3",
    ];

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private static Socket Accept(TcpListener listener)
    {
        var accept = listener.AcceptSocketAsync();
        if (!accept.Wait(Drive.DefaultTimeout))
        {
            throw new TimeoutException("openssl s_client never connected.");
        }

        return accept.Result;
    }

    /// <summary>
    /// Counts alerts in an <c>openssl -msg</c> trace (<c>&lt;&lt;&lt;</c> received, <c>&gt;&gt;&gt;</c> sent).
    /// </summary>
    private static int CountAlerts(string trace, bool received, string name) =>
        trace.Split('\n').Count(line =>
            line.StartsWith(received ? "<<<" : ">>>", StringComparison.Ordinal) &&
            AlertLine().IsMatch(line) && line.Contains(name, StringComparison.Ordinal));

    [GeneratedRegex(@"Alert \[length")]
    private static partial Regex AlertLine();
}
