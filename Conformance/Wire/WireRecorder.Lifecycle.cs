using System.Net.Sockets;

namespace Vtls.Conformance.Wire;

/// <summary>Accepting, running, resetting and tearing down.</summary>
public sealed partial class WireRecorder
{
    // Linux TCP states (include/net/tcp_states.h) in which our FIN is not yet acknowledged.
    private const byte TcpFinWait1 = 4;
    private const byte TcpLastAck = 9;
    private const byte TcpClosing = 11;
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const int SolSocket = 1;
    private const int SoError = 4;
    private const int ErrnoPipe = 32;
    private const int ErrnoConnectionReset = 104;
    private static readonly TimeSpan SettleBound = TimeSpan.FromMilliseconds(500);

    /// <summary>Resets both sides (SO_LINGER 0, then close) and stops forwarding.</summary>
    internal void ResetBoth()
    {
        Socket?[] sockets;
        lock (_gate)
        {
            if (_tornDown)
            {
                return;
            }

            _tornDown = true;
            sockets = [_client, _upstream];
        }

        foreach (var socket in sockets)
        {
            Abort(socket);
        }

        _listener.Dispose();
    }

    /// <summary>
    /// The receiver of <paramref name="pumpDirection"/> reset its connection while we wrote to it: log that as the
    /// end of its own stream (the opposite direction), and reset the other side too.
    /// </summary>
    internal void OnReceiverReset(WireDirection pumpDirection)
    {
        var receiverLog = pumpDirection == WireDirection.ClientToServer ? ServerToClient : ClientToServer;
        receiverLog.MarkEnded(StreamEnd.Reset);
        ResetBoth();
    }

    private static void Abort(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing to reset.
        }

        socket.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _lifetime.Token;
        try
        {
            var client = await _listener.AcceptAsync(token).ConfigureAwait(false);
            client.NoDelay = true;
            lock (_gate)
            {
                _client = client;
            }

            _listener.Dispose();
            var upstream = new Socket(_server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            lock (_gate)
            {
                _upstream = upstream;
            }

            await upstream.ConnectAsync(_server, token).ConfigureAwait(false);
            await Task.WhenAll(
                    _clientToServer.RunAsync(client, upstream),
                    _serverToClient.RunAsync(upstream, client))
                .ConfigureAwait(false);
            await SettleAsync(client, ClientToServer, token).ConfigureAwait(false);
            await SettleAsync(upstream, ServerToClient, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The recorder is a test instrument: whatever stopped it is kept for the test's message, never thrown
            // from Completion.
            Error = e;
        }
        finally
        {
            TearDown();
        }
    }

    /// <summary>
    /// After both directions ended, waits (bounded) until our FIN toward <paramref name="socket"/> is acknowledged,
    /// then reads the socket's pending error: a RST that came after the sender's FIN (a close with unread data after
    /// a half-close) shows only there.
    /// </summary>
    private async Task SettleAsync(Socket socket, WireDirectionLog sentBySocket, CancellationToken token)
    {
        if (!OperatingSystem.IsLinux() || IsTornDown)
        {
            return;
        }

        var deadline = DateTime.UtcNow + SettleBound;
        while (DateTime.UtcNow < deadline && TcpState(socket) is TcpFinWait1 or TcpLastAck or TcpClosing)
        {
            await Task.Delay(5, token).ConfigureAwait(false);
        }

        Span<byte> error = stackalloc byte[4];
        if (socket.GetRawSocketOption(SolSocket, SoError, error) == 4
            && BitConverter.ToInt32(error) is ErrnoPipe or ErrnoConnectionReset)
        {
            sentBySocket.MarkEnded(StreamEnd.Reset);
        }
    }

    private static byte TcpState(Socket socket)
    {
        // struct tcp_info starts with tcpi_state; a short buffer gets a truncated copy.
        Span<byte> info = stackalloc byte[8];
        return socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) > 0 ? info[0] : (byte)0;
    }

    /// <summary>Closes everything (a plain close; resets were already sent where a fault or a peer asked).</summary>
    private void TearDown()
    {
        Socket?[] sockets;
        lock (_gate)
        {
            _tornDown = true;
            sockets = [_client, _upstream];
        }

        _listener.Dispose();
        foreach (var socket in sockets)
        {
            socket?.Dispose();
        }
    }
}
