using System.Net;
using System.Net.Sockets;

namespace Vtls.Tests;

/// <summary>The bottom filter over real loopback sockets. Every wait is bounded.</summary>
public sealed class TcpSocketFilterTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new(Bound);
    private readonly List<IDisposable> _owned = [];

    public TcpSocketFilterTests()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4);
    }

    private EndPoint ListenerEndPoint => _listener.LocalEndPoint!;

    private CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        _listener.Dispose();
        _cts.Dispose();
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private async Task ConnectAsync(TcpSocketFilter filter)
    {
        while (filter.Connect() == Progress.WouldBlock)
        {
            await filter.WaitAsync(filter.Interest, Token);
        }
    }

    /// <summary>A connected pair: our filter (client side) and the peer's accepted socket.</summary>
    private async Task<(TcpSocketFilter Filter, Socket Peer)> PairAsync()
    {
        var accept = _listener.AcceptAsync(Token).AsTask();
        var filter = Own(new TcpSocketFilter(ListenerEndPoint));
        await ConnectAsync(filter);
        var peer = Own(await accept.WaitAsync(Token));
        return (filter, peer);
    }

    /// <summary>Receives until something other than would-block, waiting for readability between tries.</summary>
    private async Task<IoResult> ReceiveAsync(TcpSocketFilter filter, byte[] buffer)
    {
        while (true)
        {
            var result = filter.Receive(buffer);
            if (!result.IsWouldBlock)
            {
                return result;
            }

            await filter.WaitAsync(IoInterest.Read, Token);
        }
    }

    [Fact]
    public async Task Connect_Listener_ConnectsWithoutBlocking()
    {
        var (filter, peer) = await PairAsync();

        Assert.True(filter.IsConnected);
        Assert.Equal(IoInterest.None, filter.Interest);
        Assert.Equal(filter.Socket.LocalEndPoint, peer.RemoteEndPoint);
        Assert.False(filter.Socket.Blocking);
    }

    [Fact]
    public async Task Connect_NothingListening_TransportErrorNamingRefusal()
    {
        // Bound but not listening: the port stays ours, and a SYN to it is answered with RST.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var filter = Own(new TcpSocketFilter(closed.LocalEndPoint!));

        var e = await Assert.ThrowsAsync<TlsException>(() => ConnectAsync(filter));

        Assert.Equal(TlsErrorKind.Transport, e.Kind);
        Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(closed.LocalEndPoint!.ToString()!, e.Message);
        Assert.False(filter.IsConnected);
        Assert.Same(e, Assert.Throws<TlsException>(() => filter.Connect()));
    }

    [Fact]
    public async Task Receive_NoDataThenData_WouldBlockThenBytes()
    {
        var (filter, peer) = await PairAsync();
        var buffer = new byte[64];

        var first = filter.Receive(buffer);
        Assert.True(first.IsWouldBlock);
        Assert.Equal(IoInterest.Read, filter.Interest);

        await peer.SendAsync(new byte[] { 1, 2, 3 }, Token);
        var second = await ReceiveAsync(filter, buffer);

        Assert.Equal(IoResult.Completed(3), second);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);
    }

    [Fact]
    public async Task Send_ToPeer_PeerReceivesBytes()
    {
        var (filter, peer) = await PairAsync();

        var result = filter.Send([9, 8, 7]);

        Assert.Equal(IoResult.Completed(3), result);
        var buffer = new byte[8];
        int n = await peer.ReceiveAsync(buffer, Token);
        Assert.Equal(new byte[] { 9, 8, 7 }, buffer[..n]);
    }

    [Fact]
    public async Task Send_PeerNotReading_EventuallyWouldBlockWithWriteInterest()
    {
        var (filter, _) = await PairAsync();
        filter.Socket.SendBufferSize = 4096;
        var chunk = new byte[64 * 1024];
        IoResult result = default;

        // Bounded: loopback buffers are a few MB at most.
        for (int i = 0; i < 4096 && !(result = filter.Send(chunk)).IsWouldBlock; i++)
        {
        }

        Assert.True(result.IsWouldBlock);
        Assert.Equal(IoInterest.Write, filter.Interest);
    }

    [Fact]
    public async Task Receive_PeerFin_EndOfStream()
    {
        var (filter, peer) = await PairAsync();

        peer.Shutdown(SocketShutdown.Send);
        var result = await ReceiveAsync(filter, new byte[16]);

        Assert.Equal(IoResult.EndOfStream, result);
        Assert.Equal(IoResult.EndOfStream, filter.Receive(new byte[16]));
    }

    [Fact]
    public async Task Receive_PeerReset_TransportReset()
    {
        var (filter, peer) = await PairAsync();

        peer.LingerState = new LingerOption(true, 0);
        peer.Close();
        var e = await Assert.ThrowsAsync<TlsException>(() => ReceiveAsync(filter, new byte[16]));

        Assert.Equal(TlsErrorKind.TransportReset, e.Kind);
        Assert.Same(e, filter.FatalError);
    }

    [Fact]
    public async Task Receive_PeerResetNoticedByWaitFirst_TransportResetNotEndOfStream()
    {
        // The wait is what notices the reset; the kernel reports a reset once, so the wait must not lose it.
        var (filter, peer) = await PairAsync();
        var wait = filter.WaitAsync(IoInterest.Read, Token).AsTask();

        peer.LingerState = new LingerOption(true, 0);
        peer.Close();
        await wait.WaitAsync(Token);
        var e = Assert.Throws<TlsException>(() => filter.Receive(new byte[16]));

        Assert.Equal(TlsErrorKind.TransportReset, e.Kind);
    }

    [Fact]
    public async Task Send_PeerReset_TransportReset()
    {
        var (filter, peer) = await PairAsync();
        peer.LingerState = new LingerOption(true, 0);
        peer.Close();
        await filter.WaitAsync(IoInterest.Read, Token);

        // The first send may still be accepted by the kernel; the reset shows up by the second at the latest.
        var e = Assert.Throws<TlsException>(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                filter.Send([1]);
            }
        });

        Assert.Equal(TlsErrorKind.TransportReset, e.Kind);
    }

    [Fact]
    public async Task WaitAsync_Read_WakesOnData()
    {
        var (filter, peer) = await PairAsync();

        var wait = filter.WaitAsync(IoInterest.Read, Token).AsTask();
        var early = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(100), Token));
        Assert.NotSame(wait, early);
        await peer.SendAsync(new byte[] { 42 }, Token);
        await wait.WaitAsync(Token);

        var buffer = new byte[4];
        Assert.Equal(IoResult.Completed(1), filter.Receive(buffer));
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task WaitAsync_Read_WakesOnFin()
    {
        var (filter, peer) = await PairAsync();

        var wait = filter.WaitAsync(IoInterest.Read, Token).AsTask();
        peer.Shutdown(SocketShutdown.Send);
        await wait.WaitAsync(Token);

        Assert.Equal(IoResult.EndOfStream, filter.Receive(new byte[4]));
    }

    [Fact]
    public async Task WaitAsync_Read_DoesNotConsumeData()
    {
        var (filter, peer) = await PairAsync();
        await peer.SendAsync(new byte[] { 1, 2 }, Token);

        await filter.WaitAsync(IoInterest.Read, Token);
        await filter.WaitAsync(IoInterest.Read, Token);

        var buffer = new byte[4];
        Assert.Equal(IoResult.Completed(2), filter.Receive(buffer));
    }

    [Fact]
    public async Task WaitAsync_Write_CompletesWhenWritable()
    {
        var (filter, _) = await PairAsync();

        await filter.WaitAsync(IoInterest.Write, Token).AsTask().WaitAsync(Token);

        Assert.Equal(IoResult.Completed(1), filter.Send([1]));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsCancellation()
    {
        var (filter, _) = await PairAsync();
        using var cts = new CancellationTokenSource();

        var read = filter.WaitAsync(IoInterest.Read, cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Token));
    }

    [Fact]
    public async Task WaitAsync_ClosedMeanwhile_Returns()
    {
        var (filter, _) = await PairAsync();

        var read = filter.WaitAsync(IoInterest.Read, Token).AsTask();
        filter.Close();

        await read.WaitAsync(Token);
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task Shutdown_UnreadBytes_DrainedThenFinSoPeerSeesEofNotReset()
    {
        var (filter, peer) = await PairAsync();
        var payload = new byte[10_000];
        await peer.SendAsync(payload, Token);
        await WaitUntilAsync(() => filter.Socket.Available == payload.Length);

        Assert.Equal(Progress.Done, filter.Shutdown());
        filter.Close();

        var buffer = new byte[16];
        int n = await peer.ReceiveAsync(buffer, Token);
        Assert.Equal(0, n);
        Assert.True(filter.IsShutDown);

        // A reader that saw FIN first is not told of a later RST; the socket error is where a RST would show.
        Assert.Equal(0, (int)peer.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!);
    }

    [Fact]
    public async Task Shutdown_ThenReceive_PeerDataStillReadable()
    {
        var (filter, peer) = await PairAsync();

        Assert.Equal(Progress.Done, filter.Shutdown());
        Assert.Equal(0, await peer.ReceiveAsync(new byte[4], Token));
        await peer.SendAsync(new byte[] { 5 }, Token);

        var buffer = new byte[4];
        Assert.Equal(IoResult.Completed(1), await ReceiveAsync(filter, buffer));
    }

    [Fact]
    public async Task Close_UnreadBytes_PeerSeesReset()
    {
        // Close is not a graceful end: with bytes left unread the kernel answers with RST, which is what a
        // peer must be able to tell from a clean end.
        var (filter, peer) = await PairAsync();
        await peer.SendAsync(new byte[100], Token);
        await WaitUntilAsync(() => filter.Socket.Available == 100);

        filter.Close();

        var e = await Assert.ThrowsAsync<SocketException>(async () => await peer.ReceiveAsync(new byte[4], Token));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
    }

    [Fact]
    public async Task Constructor_AcceptedSocket_ConnectedAndNonBlocking()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = _listener.AcceptAsync(Token).AsTask();
        await client.ConnectAsync(ListenerEndPoint, Token);
        var filter = Own(new TcpSocketFilter(await accept.WaitAsync(Token)));

        Assert.True(filter.IsConnected);
        Assert.False(filter.Socket.Blocking);
        Assert.True(filter.Receive(new byte[4]).IsWouldBlock);
    }

    [Fact]
    public void Constructor_HostName_RejectedWithAdvice()
    {
        var e = Assert.Throws<ArgumentException>(() => new TcpSocketFilter(new DnsEndPoint("localhost", 443)));

        Assert.Contains("resolve", e.Message);
    }

    [Fact]
    public void Constructor_UnconnectedSocket_Rejected()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.Throws<ArgumentException>(() => new TcpSocketFilter(socket));
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), Token);
        }
    }
}
