using Vtls.Conformance.Transport;

namespace Vtls.Tests.Transport;

public class MemoryTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Send_ThenReceive_DeliversTheBytesInOrder()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var buffer = new byte[16];

        a.Send([1, 2, 3]);
        a.Send([4]);
        var result = b.Receive(buffer);

        Assert.Equal(IoResult.Completed(4), result);
        Assert.Equal([1, 2, 3, 4], buffer[..4]);
    }

    [Fact]
    public void Receive_NothingSent_WouldBlockWantingRead()
    {
        var (_, b) = MemoryTransport.CreatePair();

        var result = b.Receive(new byte[8]);

        Assert.True(result.IsWouldBlock);
        Assert.Equal(IoInterest.Read, b.Interest);
    }

    [Fact]
    public void Send_BufferFull_TakesWhatFitsThenWouldBlockWantingWrite()
    {
        var (a, _) = MemoryTransport.CreatePair(capacity: 10);

        var first = a.Send(new byte[15]);
        var second = a.Send(new byte[1]);

        Assert.Equal(IoResult.Completed(10), first);
        Assert.True(second.IsWouldBlock);
        Assert.Equal(IoInterest.Write, a.Interest);
    }

    [Fact]
    public void Receive_AfterOtherSideShutdown_GivesBufferedBytesThenEndOfStreamAgainAndAgain()
    {
        var (a, b) = MemoryTransport.CreatePair();
        a.Send([7, 8]);

        Assert.Equal(Progress.Done, a.Shutdown());
        var buffer = new byte[8];

        Assert.Equal(IoResult.Completed(2), b.Receive(buffer));
        Assert.True(b.Receive(buffer).IsEndOfStream);
        Assert.True(b.Receive(buffer).IsEndOfStream);
    }

    [Fact]
    public void Shutdown_IsHalfClose_TheOtherDirectionStillFlows()
    {
        var (a, b) = MemoryTransport.CreatePair();

        a.Shutdown();
        b.Send([9]);

        Assert.Equal(IoResult.Completed(1), a.Receive(new byte[4]));
    }

    [Fact]
    public void Reset_OtherSidesNextSendAndReceiveThrowTransportReset()
    {
        var (a, b) = MemoryTransport.CreatePair();
        a.Send([1, 2, 3]);
        var (c, d) = MemoryTransport.CreatePair();

        b.Reset();
        d.Reset();

        var onSend = Assert.Throws<TlsException>(() => a.Send([1]));
        var onReceive = Assert.Throws<TlsException>(() => c.Receive(new byte[4]));
        Assert.Equal(TlsErrorKind.TransportReset, onSend.Kind);
        Assert.Equal(TlsErrorKind.TransportReset, onReceive.Kind);
    }

    [Fact]
    public void Close_WithUnreadInput_ResetsTheOtherSideLikeLinux()
    {
        var (a, b) = MemoryTransport.CreatePair();
        a.Send([1]);

        b.Close();

        var error = Assert.Throws<TlsException>(() => a.Receive(new byte[4]));
        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Fact]
    public void Close_WithNothingUnread_IsFinButSendingToItFailsAsReset()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var (c, d) = MemoryTransport.CreatePair();

        b.Close();
        d.Close();

        Assert.True(a.Receive(new byte[4]).IsEndOfStream);
        var error = Assert.Throws<TlsException>(() => c.Send([1]));
        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Fact]
    public async Task WaitAsync_Read_WakesWhenBytesArrive()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var wait = b.WaitAsync(IoInterest.Read, CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);

        a.Send([1]);

        await wait.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WaitAsync_Read_WakesOnFinAndOnReset()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var (c, d) = MemoryTransport.CreatePair();
        var onFin = b.WaitAsync(IoInterest.Read, CancellationToken.None).AsTask();
        var onReset = d.WaitAsync(IoInterest.Read, CancellationToken.None).AsTask();

        a.Shutdown();
        c.Reset();

        await onFin.WaitAsync(Timeout);
        await onReset.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WaitAsync_Write_WakesWhenTheReaderMakesRoom()
    {
        var (a, b) = MemoryTransport.CreatePair(capacity: 4);
        a.Send(new byte[4]);
        var wait = a.WaitAsync(IoInterest.Write, CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);

        b.Receive(new byte[1]);

        await wait.WaitAsync(Timeout);
        Assert.Equal(IoResult.Completed(1), a.Send(new byte[3]));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var (_, b) = MemoryTransport.CreatePair();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => b.WaitAsync(IoInterest.Read, cts.Token).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Pair_ConcurrentWriterAndReader_MovesOneMebibyteIntact()
    {
        var (a, b) = MemoryTransport.CreatePair(capacity: 1000);
        var data = new byte[1 << 20];
        new Random(1).NextBytes(data);
        using var cts = new CancellationTokenSource(Timeout);

        var writer = Task.Run(async () =>
        {
            int sent = 0;
            while (sent < data.Length)
            {
                var r = a.Send(data.AsSpan(sent));
                if (r.IsWouldBlock)
                {
                    await a.WaitAsync(a.Interest, cts.Token);
                    continue;
                }

                sent += r.Count;
            }

            a.Shutdown();
        });
        var received = new MemoryStream();
        var buffer = new byte[777];
        while (true)
        {
            var r = b.Receive(buffer);
            if (r.IsEndOfStream)
            {
                break;
            }

            if (r.IsWouldBlock)
            {
                await b.WaitAsync(b.Interest, cts.Token);
                continue;
            }

            received.Write(buffer, 0, r.Count);
        }

        await writer.WaitAsync(Timeout);
        Assert.Equal(data, received.ToArray());
    }
}
