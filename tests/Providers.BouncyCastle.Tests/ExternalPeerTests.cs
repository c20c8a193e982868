using System.Net;
using System.Net.Sockets;
using System.Text;
using Vtls.Conformance.Pki;
using Vtls.Conformance.Xunit;
using Vtls.Providers.BouncyCastle;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// Interoperability (CONFORMANCE group I) with <c>openssl s_server</c>/<c>s_client</c> and <c>gnutls-cli</c> over
/// loopback TCP. FACTS.md lists the tools' quirks; the assertions follow them. <c>gnutls-serv</c> is left out: it
/// cannot be bound to loopback only.
/// </summary>
public sealed class ExternalPeerTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("vtls-bc-").FullName;
    private readonly PemFiles _pem;

    public ExternalPeerTests() => _pem = Pair.Pki.WritePemFiles(_directory);

    public static TheoryData<TlsProtocols> Versions => new() { TlsProtocols.Tls12, TlsProtocols.Tls13 };

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Client_OpenSslServer_DataBothWaysThenGracefulShutdown(TlsProtocols version)
    {
        using var server = StartOpenSslServer(version, out int port);
        await server.WaitForOutputAsync("ACCEPT");
        using var cts = new CancellationTokenSource(Budget);
        await using var client = TlsConnection.CreateClient(
            BouncyCastleBackend.Instance,
            new IPEndPoint(IPAddress.Loopback, port),
            ClientOptions(version));

        await client.ConnectAsync(cts.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("ping from bouncycastle\n"), cts.Token);
        await server.WaitForOutputAsync("ping from bouncycastle");
        await server.WriteAsync("pong from openssl\n");
        var reply = await ReceiveLineAsync(client, cts.Token);
        await client.ShutdownAsync(Budget, cts.Token);
        await server.WaitForOutputAsync("DONE");

        Assert.Equal(version, client.Tls!.NegotiatedProtocol);
        Assert.Equal("pong from openssl\n", reply);
        Assert.True(client.Chain.IsShutDown);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Client_ShutdownOverRecordingFilter_ExactlyOneCloseNotifyReachesSocket(TlsProtocols version)
    {
        using var server = StartOpenSslServer(version, out int port);
        await server.WaitForOutputAsync("ACCEPT");
        using var cts = new CancellationTokenSource(Budget);
        var options = ClientOptions(version);
        var recorder = new RecordingFilter(new TcpSocketFilter(new IPEndPoint(IPAddress.Loopback, port)));
        var tls = BouncyCastleBackend.Instance.CreateClient(recorder, options);
        await using var client = TlsConnection.Wrap(tls, options);
        await client.ConnectAsync(cts.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("counted\n"), cts.Token);
        await server.WaitForOutputAsync("counted");
        int mark = recorder.Sent.Length;

        await client.ShutdownAsync(Budget, cts.Token);

        Assert.Equal(1, WireRecords.CountAlerts(recorder.Sent, mark, version));
        Assert.True(WireRecords.EndsOnRecordBoundary(recorder.Sent));
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Client_OpenSslServerSendsBareFin_Truncated(TlsProtocols version)
    {
        using var server = StartOpenSslServer(version, out int port);
        await server.WaitForOutputAsync("ACCEPT");
        using var cts = new CancellationTokenSource(Budget);
        await using var client = TlsConnection.CreateClient(
            BouncyCastleBackend.Instance,
            new IPEndPoint(IPAddress.Loopback, port),
            ClientOptions(version));
        await client.ConnectAsync(cts.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("hello\n"), cts.Token);
        await server.WaitForOutputAsync("hello");

        // FACTS.md: on Q, s_server closes the socket before its close_notify leaves.
        await server.WriteAsync("Q\n");
        var error = await Assert.ThrowsAsync<TlsException>(async () =>
        {
            while (await client.ReceiveAsync(new byte[1024], cts.Token) > 0)
            {
            }
        });

        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Client_OneMebibyteToOpenSslServer_AllArrives(TlsProtocols version)
    {
        using var server = StartOpenSslServer(version, out int port);
        await server.WaitForOutputAsync("ACCEPT");
        using var cts = new CancellationTokenSource(Budget);
        await using var client = TlsConnection.CreateClient(
            BouncyCastleBackend.Instance,
            new IPEndPoint(IPAddress.Loopback, port),
            ClientOptions(version));
        await client.ConnectAsync(cts.Token);

        await client.SendAsync(MebibyteOfLines(), cts.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("END-OF-DATA\n"), cts.Token);
        await server.WaitForOutputAsync("END-OF-DATA");
        await client.ShutdownAsync(Budget, cts.Token);

        Assert.Equal(LineCount, CountDataLines(server.Output));
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Server_OpenSslClient_DataBothWaysPeerClosesFirst(TlsProtocols version)
    {
        using var listener = Listen(out int port);
        using var client = ToolProcess.Start(
            "openssl",
            "s_client",
            "-connect",
            $"127.0.0.1:{port}",
            "-servername",
            TestPki.ServerName,
            "-CAfile",
            _pem.CaCertificate,
            "-verify_return_error",
            version == TlsProtocols.Tls13 ? "-tls1_3" : "-tls1_2");
        using var cts = new CancellationTokenSource(Budget);
        await using var server = await AcceptAsync(listener, version, cts.Token);

        await server.SendAsync(MebibyteOfLines(), cts.Token);
        await server.SendAsync(Encoding.ASCII.GetBytes("END-OF-DATA\n"), cts.Token);
        await client.WaitForOutputAsync("END-OF-DATA");
        await client.WriteAsync("hi from openssl\n");
        var line = await ReceiveLineAsync(server, cts.Token);

        // FACTS.md: on stdin EOF s_client sends close_notify, then closes.
        client.CloseInput();
        int end = await server.ReceiveAsync(new byte[64], cts.Token);
        await server.ShutdownAsync(Budget, cts.Token);

        Assert.Equal("hi from openssl\n", line);
        Assert.Equal(0, end);
        Assert.Equal(LineCount, CountDataLines(client.Output));
        Assert.True(await client.WaitForExitAsync());
        Assert.DoesNotContain("unexpected eof", client.Output, StringComparison.OrdinalIgnoreCase);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Server_OpenSslClient_ServerShutsDownFirstClientAnswers(TlsProtocols version)
    {
        using var listener = Listen(out int port);
        using var client = ToolProcess.Start(
            "openssl",
            "s_client",
            "-connect",
            $"127.0.0.1:{port}",
            "-CAfile",
            _pem.CaCertificate,
            "-verify_return_error",
            "-msg",
            version == TlsProtocols.Tls13 ? "-tls1_3" : "-tls1_2");
        using var cts = new CancellationTokenSource(Budget);
        await using var server = await AcceptAsync(listener, version, cts.Token);
        await server.SendAsync(Encoding.ASCII.GetBytes("bye\n"), cts.Token);
        await client.WaitForOutputAsync("bye");

        await server.ShutdownAsync(Budget, cts.Token);

        Assert.True(server.Chain.IsShutDown);
        Assert.True(server.Tls!.IsCloseNotifyReceived);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Versions))]
    public async Task Server_GnuTlsClient_DataThenPeerCloseNotify(TlsProtocols version)
    {
        using var listener = Listen(out int port);
        using var client = ToolProcess.Start(
            "gnutls-cli",
            "--port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--x509cafile",
            _pem.CaCertificate,
            "--priority",
            version == TlsProtocols.Tls13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2",
            "127.0.0.1");
        using var cts = new CancellationTokenSource(Budget);
        await using var server = await AcceptAsync(listener, version, cts.Token);

        await server.SendAsync(Encoding.ASCII.GetBytes("hello gnutls\n"), cts.Token);
        await client.WaitForOutputAsync("hello gnutls");
        await client.WriteAsync("hi from gnutls\n");
        var line = await ReceiveLineAsync(server, cts.Token);

        // FACTS.md: on stdin EOF gnutls-cli sends close_notify.
        client.CloseInput();
        int end = await server.ReceiveAsync(new byte[64], cts.Token);
        await server.ShutdownAsync(Budget, cts.Token);

        Assert.Equal("hi from gnutls\n", line);
        Assert.Equal(0, end);
        Assert.True(server.Tls!.IsCloseNotifySent);
    }

    [ExternalPeersFact]
    public async Task Client_CloseAfterData_OpenSslServerSeesNoCloseNotify()
    {
        using var server = StartOpenSslServer(TlsProtocols.Tls13, out int port);
        await server.WaitForOutputAsync("ACCEPT");
        using var cts = new CancellationTokenSource(Budget);
        var client = TlsConnection.CreateClient(
            BouncyCastleBackend.Instance,
            new IPEndPoint(IPAddress.Loopback, port),
            ClientOptions(TlsProtocols.Tls13));
        await client.ConnectAsync(cts.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("about to abort\n"), cts.Token);
        await server.WaitForOutputAsync("about to abort");

        client.Close();

        // s_server serves one connection (-naccept 1): its exit says it saw the end, whatever the end was; only
        // then is the absence of DONE (its word for a received close_notify) evidence rather than a race.
        Assert.True(await server.WaitForExitAsync(), "openssl s_server did not notice the closed connection");
        Assert.DoesNotContain("DONE", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothRoles_OverLoopbackTcp_EchoMebibyteAndShutDownCleanly()
    {
        using var listener = Listen(out int port);
        using var cts = new CancellationTokenSource(Budget);
        var serverTask = Task.Run(
            async () =>
            {
                await using var server = await AcceptAsync(listener, TlsProtocols.Tls12And13, cts.Token);
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = await server.ReceiveAsync(buffer, cts.Token)) > 0)
                {
                    await server.SendAsync(buffer.AsMemory(0, n), cts.Token);
                }

                await server.ShutdownAsync(Budget, cts.Token);
                return server.Tls!.IsCloseNotifySent;
            },
            cts.Token);
        await using var client = TlsConnection.CreateClient(
            BouncyCastleBackend.Instance,
            new IPEndPoint(IPAddress.Loopback, port),
            ClientOptions(TlsProtocols.Tls12And13));
        await client.ConnectAsync(cts.Token);
        var data = new byte[1 << 20];
        Random.Shared.NextBytes(data);

        // One caller at a time drives a connection, so send and receive take turns, 64 KiB each.
        var echoed = new MemoryStream();
        for (int offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await client.SendAsync(data.AsMemory(offset, 64 * 1024), cts.Token);
            echoed.Write(await ReceiveExactlyAsync(client, 64 * 1024, cts.Token));
        }

        await client.ShutdownAsync(Budget, cts.Token);

        Assert.Equal(data, echoed.ToArray());
        Assert.True(await serverTask);
        Assert.True(client.Tls!.IsCloseNotifyReceived);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const int LineCount = 16 * 1024;

    private static byte[] MebibyteOfLines()
    {
        var line = Encoding.ASCII.GetBytes(new string('x', 63) + "\n");
        var data = new byte[LineCount * line.Length];
        for (int i = 0; i < LineCount; i++)
        {
            line.CopyTo(data, i * line.Length);
        }

        return data;
    }

    private static int CountDataLines(string output)
    {
        string line = new('x', 63);
        return output.Split('\n').Count(l => l.TrimEnd('\r').EndsWith(line, StringComparison.Ordinal));
    }

    private ToolProcess StartOpenSslServer(TlsProtocols version, out int port)
    {
        port = ToolProcess.FreePort();
        return ToolProcess.Start(
            "openssl",
            "s_server",
            "-accept",
            $"127.0.0.1:{port}",
            "-cert",
            _pem.ServerCertificate,
            "-key",
            _pem.ServerKey,
            "-naccept",
            "1",
            version == TlsProtocols.Tls13 ? "-tls1_3" : "-tls1_2");
    }

    private static TlsOptions ClientOptions(TlsProtocols version) => new()
    {
        ServerName = TestPki.ServerName,
        Trust = TlsTrust.CustomRoots(Pair.Pki.Root),
        Protocols = version,
    };

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private static async Task<TlsConnection> AcceptAsync(
        TcpListener listener,
        TlsProtocols version,
        CancellationToken cancellationToken)
    {
        var socket = await listener.AcceptSocketAsync(cancellationToken);
        var connection = TlsConnection.CreateServer(
            BouncyCastleBackend.Instance,
            socket,
            new TlsOptions { Certificate = Pair.Pki.Server, Protocols = version });
        await connection.ConnectAsync(cancellationToken);
        return connection;
    }

    private static async Task<string> ReceiveLineAsync(TlsConnection connection, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (!text.ToString().EndsWith('\n'))
        {
            int n = await connection.ReceiveAsync(buffer, cancellationToken);
            if (n == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static async Task<byte[]> ReceiveExactlyAsync(
        TlsConnection connection,
        int count,
        CancellationToken cancellationToken)
    {
        var data = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int n = await connection.ReceiveAsync(data.AsMemory(filled), cancellationToken);
            Assert.NotEqual(0, n);
            filled += n;
        }

        return data;
    }
}
