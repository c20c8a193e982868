using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Vtls.Conformance.External;
using Vtls.Conformance.Wire;

namespace Vtls.Tests.Support;

/// <summary>
/// An external tool talking through a <see cref="WireRecorder"/> to a counterpart the test controls exactly: an
/// in-box <see cref="SslStream"/> over a plain socket (so the test can send close_notify, a bare FIN or a RST at
/// will), or a second external tool.
/// </summary>
internal sealed class ExternalSession : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(8);

    private readonly List<IAsyncDisposable> _owned = [];

    public ExternalTlsProcess Tool { get; private set; } = null!;

    /// <summary>The second tool, when the counterpart is one.</summary>
    public ExternalTlsProcess? OtherTool { get; private set; }

    public WireRecorder Recorder { get; private set; } = null!;

    public SslStream? Ssl { get; private set; }

    public Socket? Socket { get; private set; }

    /// <summary>The direction from the counterpart toward <see cref="Tool"/>.</summary>
    public WireDirection TowardTool { get; private set; }

    /// <summary>The tool as a client, an <see cref="SslStream"/> server behind the recorder.</summary>
    public static async Task<ExternalSession> ToolClientAsync(
        ExternalTool tool,
        TlsProtocols version,
        PemDirectory pem,
        bool trustServer = true)
    {
        var session = new ExternalSession { TowardTool = WireDirection.ServerToClient };
        using var cts = new CancellationTokenSource(Timeout);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        session.Recorder = session.Own(WireRecorder.Start((IPEndPoint)listener.LocalEndPoint!));
        var files = trustServer ? pem.Pem : pem.UntrustingPem;
        session.Tool = session.Own(await ExternalTlsProcess.StartClientAsync(
            tool, session.Recorder.EndPoint, "localhost", files, version, cts.Token));
        session.Socket = await listener.AcceptAsync(cts.Token);
        session.Ssl = new SslStream(new NetworkStream(session.Socket, ownsSocket: false));
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = pem.Pki.Server,
            EnabledSslProtocols = ToSslProtocols(version),
        };
        try
        {
            await session.Ssl.AuthenticateAsServerAsync(options, cts.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException && !trustServer)
        {
            // The tool rejected our certificate: that is what the test is about.
        }

        return session;
    }

    /// <summary>The tool as a server, an <see cref="SslStream"/> client behind the recorder.</summary>
    public static async Task<ExternalSession> ToolServerAsync(ExternalTool tool, TlsProtocols version, PemDirectory pem)
    {
        var session = new ExternalSession { TowardTool = WireDirection.ClientToServer };
        using var cts = new CancellationTokenSource(Timeout);
        session.Tool = session.Own(await ExternalTlsProcess.StartServerAsync(tool, pem.Pem, version, cts.Token));
        session.Recorder = session.Own(
            WireRecorder.Start(new IPEndPoint(IPAddress.Loopback, session.Tool.Port!.Value)));
        session.Socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await session.Socket.ConnectAsync(session.Recorder.EndPoint, cts.Token);
        session.Ssl = new SslStream(new NetworkStream(session.Socket, ownsSocket: false));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = ToSslProtocols(version),
            // The tool's certificate is not what these tests are about.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        };
        await session.Ssl.AuthenticateAsClientAsync(options, cts.Token);
        return session;
    }

    /// <summary>Two tools: <paramref name="client"/> through the recorder to <paramref name="server"/>.</summary>
    /// <remarks><see cref="Tool"/> is the client, <see cref="OtherTool"/> the server.</remarks>
    public static async Task<ExternalSession> ToolPairAsync(
        ExternalTool client,
        ExternalTool server,
        TlsProtocols version,
        PemDirectory pem,
        bool trustServer = true)
    {
        var session = new ExternalSession { TowardTool = WireDirection.ServerToClient };
        using var cts = new CancellationTokenSource(Timeout);
        session.OtherTool = session.Own(await ExternalTlsProcess.StartServerAsync(server, pem.Pem, version, cts.Token));
        session.Recorder = session.Own(
            WireRecorder.Start(new IPEndPoint(IPAddress.Loopback, session.OtherTool.Port!.Value)));
        var files = trustServer ? pem.Pem : pem.UntrustingPem;
        session.Tool = session.Own(await ExternalTlsProcess.StartClientAsync(
            client, session.Recorder.EndPoint, "localhost", files, version, cts.Token));
        return session;
    }

    /// <summary>Waits until the tool's output shows a completed handshake.</summary>
    public static async Task WaitForHandshakeAsync(ExternalTlsProcess tool)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!tool.IsHandshakeDone)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No handshake: {tool.Output}");
            Assert.False(tool.HasExited, $"Exited before the handshake completed: {tool.Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads from <see cref="Ssl"/> until <paramref name="count"/> bytes or the end.</summary>
    public async Task<byte[]> ReadAsync(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int n = await Ssl!.ReadAsync(buffer.AsMemory(filled), cts.Token);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return buffer[..filled];
    }

    /// <summary>Closes the counterpart's TCP with FIN and no close_notify.</summary>
    public void SendBareFin() => Socket!.Shutdown(SocketShutdown.Send);

    /// <summary>Closes the counterpart's TCP with RST.</summary>
    public void SendReset()
    {
        Socket!.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        Ssl?.Dispose();
        Socket?.Dispose();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    private static SslProtocols ToSslProtocols(TlsProtocols version) => version switch
    {
        TlsProtocols.Tls12 => SslProtocols.Tls12,
        TlsProtocols.Tls13 => SslProtocols.Tls13,
        _ => SslProtocols.Tls12 | SslProtocols.Tls13,
    };

    private T Own<T>(T item)
        where T : IAsyncDisposable
    {
        _owned.Add(item);
        return item;
    }
}
