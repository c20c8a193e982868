using Vtls.Conformance.Transport;

namespace Vtls.Tests.Transport;

public class FaultInjectingFilterTests
{
    [Fact]
    public void Send_OneByteAtATime_PassesOneByteAndRecordsIt()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var filter = new FaultInjectingFilter(a, FaultSchedule.OneByteAtATime());

        var result = filter.Send([1, 2, 3]);

        Assert.Equal(IoResult.Completed(1), result);
        Assert.Equal(1, b.UnreadBytes);
        Assert.Equal([1], filter.SentBytes);
        Assert.Equal(1, filter.BytesSent);
    }

    [Fact]
    public async Task Send_InjectedWouldBlock_DoesNotTouchBelowAndWaitCompletesAtOnce()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var filter = new FaultInjectingFilter(a, FaultSchedule.WouldBlockEveryOtherCall());

        var first = filter.Send([1, 2, 3]);
        var interest = filter.Interest;
        int unreadAfterFirst = b.UnreadBytes;
        var wait = filter.WaitAsync(interest, CancellationToken.None);
        var second = filter.Send([1, 2, 3]);

        Assert.True(first.IsWouldBlock);
        Assert.Equal(IoInterest.Write, interest);
        Assert.Equal(0, unreadAfterFirst);
        Assert.True(wait.IsCompleted);
        await wait;
        Assert.Equal(IoResult.Completed(3), second);
        Assert.Equal(3, b.UnreadBytes);
        Assert.Equal(1, filter.InjectedWouldBlocks);
    }

    [Fact]
    public void Receive_InjectedWouldBlock_SetsReadInterest()
    {
        var (a, b) = MemoryTransport.CreatePair();
        b.Send([5]);
        var filter = new FaultInjectingFilter(a, FaultSchedule.WouldBlockEveryOtherCall());

        var result = filter.Receive(new byte[4]);

        Assert.True(result.IsWouldBlock);
        Assert.Equal(IoInterest.Read, filter.Interest);
        Assert.Equal(1, a.Receive(new byte[4]).Count);
    }

    [Fact]
    public void Receive_EofAfterReceived_StopsExactlyAtTheCountThenEndOfStream()
    {
        var (a, b) = MemoryTransport.CreatePair();
        b.Send(new byte[10]);
        var filter = new FaultInjectingFilter(a, FaultSchedule.EofAfterReceived(4));
        var buffer = new byte[16];

        var first = filter.Receive(buffer);
        var second = filter.Receive(buffer);

        Assert.Equal(IoResult.Completed(4), first);
        Assert.True(second.IsEndOfStream);
        Assert.Equal(6, a.UnreadBytes);
    }

    [Fact]
    public void Receive_ResetAfterReceived_ThrowsTransportResetAtTheCount()
    {
        var (a, b) = MemoryTransport.CreatePair();
        b.Send(new byte[10]);
        var filter = new FaultInjectingFilter(a, FaultSchedule.ResetAfterReceived(3));

        Assert.Equal(IoResult.Completed(3), filter.Receive(new byte[16]));
        var error = Assert.Throws<TlsException>(() => filter.Receive(new byte[16]));

        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Fact]
    public void Receive_ScheduleDisabled_NoInjectionUntilEnabled()
    {
        var (a, b) = MemoryTransport.CreatePair();
        b.Send(new byte[10]);
        var schedule = FaultSchedule.EofAfterReceived(0);
        schedule.Enabled = false;
        var filter = new FaultInjectingFilter(a, schedule);

        var before = filter.Receive(new byte[4]);
        schedule.Enabled = true;
        var after = filter.Receive(new byte[4]);

        Assert.Equal(IoResult.Completed(4), before);
        Assert.True(after.IsEndOfStream);
    }

    [Fact]
    public void Chaos_SameSeed_SameSequenceOfResults()
    {
        Assert.Equal(Run(9), Run(9));

        static List<IoResult> Run(int seed)
        {
            var (a, b) = MemoryTransport.CreatePair();
            var filter = new FaultInjectingFilter(a, FaultSchedule.Chaos(seed));
            var results = new List<IoResult>();
            for (int i = 0; i < 50; i++)
            {
                results.Add(filter.Send(new byte[64]));
            }

            return results;
        }
    }

    [Fact]
    public void Chaos_EveryByteSentArrivesInOrderAndSentBytesMatches()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var filter = new FaultInjectingFilter(a, FaultSchedule.Chaos(3));
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        int sent = 0;

        for (int guard = 0; sent < data.Length && guard < 100_000; guard++)
        {
            var r = filter.Send(data.AsSpan(sent));
            sent += r.Count;
        }

        var received = new byte[data.Length];
        Assert.Equal(data.Length, b.Receive(received).Count);
        Assert.Equal(data, received);
        Assert.Equal(data, filter.SentBytes);
        Assert.True(filter.InjectedWouldBlocks > 0);
        Assert.True(filter.ShortenedCalls > 0);
    }

    [Fact]
    public void Shutdown_IsDoneAtOnceAndLeavesTheFilterBelowAlone()
    {
        var (a, b) = MemoryTransport.CreatePair();
        var filter = new FaultInjectingFilter(a, FaultSchedule.None);

        Assert.Equal(Progress.Done, filter.Shutdown());

        Assert.False(a.IsShutDown);
        Assert.True(b.Receive(new byte[1]).IsWouldBlock);
    }

    [Fact]
    public void Close_ClosesTheFilterBelow()
    {
        var (a, _) = MemoryTransport.CreatePair();
        var filter = new FaultInjectingFilter(a, FaultSchedule.None);

        filter.Close();

        Assert.True(a.IsClosed);
    }

    [Fact]
    public void Chain_ShutdownTopToBottom_SendsFinBelow()
    {
        var (a, b) = MemoryTransport.CreatePair();
        using var chain = new FilterChain(new FaultInjectingFilter(a, FaultSchedule.OneByteAtATime()));

        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.True(b.Receive(new byte[1]).IsEndOfStream);
    }
}
