using Microsoft.Extensions.Time.Testing;
using Vtls.Tests.Fakes;

namespace Vtls.Tests;

/// <summary>The async adapter over a chain of fake filters, with a fake clock: no test sleeps.</summary>
public class TlsConnectionTests
{
    // Bounds a wait for an asynchronous completion that the test has already caused; never a timing assertion.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static TlsConnection Create(ScriptedFilter top, FakeTimeProvider time, TimeSpan? budget = null)
    {
        var options = new TlsOptions
        {
            TimeProvider = time,
            ShutdownTimeout = budget ?? TimeSpan.FromSeconds(2),
            HandshakeTimeout = TimeSpan.FromSeconds(30),
        };
        return TlsConnection.Wrap(top, options);
    }

    [Fact]
    public async Task ShutdownAsync_PeerNeverAnswers_TimesOutAtBudgetAndCloses()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultShutdown = Step.WouldBlockRead;
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time);

        var shutdown = connection.ShutdownAsync();
        time.Advance(TimeSpan.FromSeconds(1.999));
        Assert.False(shutdown.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var e = await Assert.ThrowsAsync<TlsException>(() => shutdown.WaitAsync(Bound));

        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(filter.IsClosed);

        // The step that sends, then one reading step at once (the sending step reads nothing); none after the wait.
        Assert.Equal(2, filter.ShutdownCalls);
        Assert.Empty(filter.Sent);
    }

    [Fact]
    public async Task ShutdownAsync_BudgetTimerFires_AdapterDoesNotRunOnTheClockThread()
    {
        // The deadline's callback runs on whoever advances the clock (a timer thread in production). The adapter
        // must resume elsewhere: here closing blocks until Advance has returned, which inline resumption would
        // never let happen.
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultShutdown = Step.WouldBlockRead;
        filter.WaitMode = WaitMode.UntilCancelled;
        using var advanced = new ManualResetEventSlim();
        bool closedAfterAdvance = false;
        filter.OnClose = () => closedAfterAdvance = advanced.Wait(TimeSpan.FromSeconds(2));
        using var connection = Create(filter, time);

        var shutdown = connection.ShutdownAsync();
        // From a pool thread, like a real timer: a test thread's synchronization context would hide inlining.
        await Task.Run(() => time.Advance(TimeSpan.FromSeconds(2))).WaitAsync(Bound);
        advanced.Set();

        var e = await Assert.ThrowsAsync<TlsException>(() => shutdown.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(closedAfterAdvance);
    }

    [Fact]
    public async Task ShutdownAsync_TighterTimeout_TimesOutAtIt()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultShutdown = Step.WouldBlockRead;
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time, budget: TimeSpan.FromSeconds(30));

        var shutdown = connection.ShutdownAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<TlsException>(() => shutdown.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task ShutdownAsync_PeerAnswersAfterWouldBlocks_Completes()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockWrite);
        filter.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        using var connection = Create(filter, time);

        await connection.ShutdownAsync().WaitAsync(Bound);

        Assert.True(connection.Chain.IsShutDown);
        Assert.Equal(3, filter.ShutdownCalls);
        Assert.False(filter.IsClosed);
    }

    [Fact]
    public async Task ShutdownAsync_Cancelled_ClosesAndThrowsCancellation()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultShutdown = Step.WouldBlockRead;
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time);
        using var cts = new CancellationTokenSource();

        var shutdown = connection.ShutdownAsync(null, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shutdown.WaitAsync(Bound));
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task ShutdownAsync_Truncated_ClosesAndThrowsTruncated()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        filter.ShutdownSteps.Enqueue(new Step.Fail(TlsException.Truncated("during shutdown")));
        using var connection = Create(filter, time);

        var e = await Assert.ThrowsAsync<TlsException>(() => connection.ShutdownAsync().WaitAsync(Bound));

        Assert.Equal(TlsErrorKind.Truncated, e.Kind);
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task ConnectAsync_HandshakeNeverCompletes_TimesOutAndCloses()
    {
        var time = new FakeTimeProvider();
        var filter = new ScriptedFilter { DefaultConnect = Step.WouldBlockRead, WaitMode = WaitMode.UntilCancelled };
        using var connection = Create(filter, time);

        var connect = connection.ConnectAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(connect.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<TlsException>(() => connect.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(filter.IsClosed);
        Assert.False(filter.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_WaitIgnoresItsToken_StillTimesOut()
    {
        // A filter whose wait returns at once makes the loop spin; the budget must still end it. The real clock
        // is needed here: the spinning loop never yields to a test that would advance a fake one.
        var filter = new ScriptedFilter { DefaultConnect = Step.WouldBlockRead, WaitMode = WaitMode.Immediate };
        using var connection = TlsConnection.Wrap(filter, new TlsOptions());
        connection.HandshakeTimeout = TimeSpan.FromMilliseconds(50);

        var connect = Task.Run(() => connection.ConnectAsync());

        var e = await Assert.ThrowsAsync<TlsException>(() => connect.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task ConnectAsync_AfterWouldBlocks_Connects()
    {
        var time = new FakeTimeProvider();
        var bottom = new ScriptedFilter("bottom");
        bottom.ConnectSteps.Enqueue(Step.WouldBlockWrite);
        var top = new ScriptedFilter("top", bottom);
        top.ConnectSteps.Enqueue(Step.WouldBlockRead);
        top.ConnectSteps.Enqueue(Step.WouldBlockWrite);
        using var connection = Create(top, time);

        await connection.ConnectAsync().WaitAsync(Bound);

        Assert.True(connection.Chain.IsConnected);
        Assert.Equal(3, top.ConnectCalls);
        Assert.Equal(3, bottom.WaitCalls);
    }

    [Fact]
    public async Task ConnectAsync_Cancelled_ClosesAndThrowsCancellation()
    {
        var time = new FakeTimeProvider();
        var filter = new ScriptedFilter { DefaultConnect = Step.WouldBlockRead, WaitMode = WaitMode.UntilCancelled };
        using var connection = Create(filter, time);
        using var cts = new CancellationTokenSource();

        var connect = connection.ConnectAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.WaitAsync(Bound));
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task ConnectAsync_HandshakeFails_ClosesAndThrowsTheFailure()
    {
        var time = new FakeTimeProvider();
        var filter = new ScriptedFilter();
        filter.ConnectSteps.Enqueue(Step.WouldBlockRead);
        filter.ConnectSteps.Enqueue(new Step.Fail(new TlsException(TlsErrorKind.Certificate, "untrusted")));
        using var connection = Create(filter, time);

        var e = await Assert.ThrowsAsync<TlsException>(() => connection.ConnectAsync().WaitAsync(Bound));

        Assert.Equal(TlsErrorKind.Certificate, e.Kind);
        Assert.True(filter.IsClosed);
    }

    [Fact]
    public async Task SendAsync_PartialSendsAndWouldBlocks_SendsEverythingInOrder()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.SendSteps.Enqueue(new Step.Take(3));
        filter.SendSteps.Enqueue(Step.WouldBlockWrite);
        filter.SendSteps.Enqueue(new Step.Take(1));
        filter.SendSteps.Enqueue(Step.WouldBlockWrite);
        filter.SendSteps.Enqueue(Step.WouldBlockWrite);
        filter.SendSteps.Enqueue(new Step.Take(4));
        using var connection = Create(filter, time);
        byte[] data = [.. Enumerable.Range(0, 20).Select(i => (byte)i)];

        await connection.SendAsync(data).AsTask().WaitAsync(Bound);

        Assert.Equal(data, filter.Sent);
        Assert.Equal(3, filter.WaitCalls);
    }

    [Fact]
    public async Task SendAsync_TimesOut_Timeout()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultSend = Step.WouldBlockWrite;
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time);
        connection.SendTimeout = TimeSpan.FromSeconds(5);

        var send = connection.SendAsync(new byte[10]).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<TlsException>(() => send.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task ReceiveAsync_WouldBlocksThenData_ReturnsData()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(Step.WouldBlockRead);
        filter.ReceiveSteps.Enqueue(Step.WouldBlockRead);
        filter.ReceiveSteps.Enqueue(new Step.Data([4, 5, 6]));
        using var connection = Create(filter, time);
        var buffer = new byte[16];

        int n = await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Bound);

        Assert.Equal(3, n);
        Assert.Equal(new byte[] { 4, 5, 6 }, buffer[..3]);
    }

    [Fact]
    public async Task ReceiveAsync_EndOfStream_ZeroEveryTime()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(new Step.Data([1]));
        filter.ReceiveSteps.Enqueue(Step.WouldBlockRead);
        filter.ReceiveSteps.Enqueue(new Step.Eos());
        using var connection = Create(filter, time);
        var buffer = new byte[16];

        Assert.Equal(1, await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Equal(0, await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Equal(0, await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task ReceiveAsync_Truncated_ThrowsNotZero()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(new Step.Fail(TlsException.Truncated("during receive")));
        using var connection = Create(filter, time);

        var e = await Assert.ThrowsAsync<TlsException>(() => connection.ReceiveAsync(new byte[4]).AsTask());

        Assert.Equal(TlsErrorKind.Truncated, e.Kind);
    }

    [Fact]
    public async Task ReceiveAsync_ReceiveTimeout_Timeout()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time);
        connection.ReceiveTimeout = TimeSpan.FromSeconds(3);

        var receive = connection.ReceiveAsync(new byte[4]).AsTask();
        time.Advance(TimeSpan.FromSeconds(3));

        var e = await Assert.ThrowsAsync<TlsException>(() => receive.WaitAsync(Bound));
        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task ReceiveAsync_CallerCancels_CancellationNotTimeout()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.WaitMode = WaitMode.UntilCancelled;
        using var connection = Create(filter, time);
        using var cts = new CancellationTokenSource();

        var receive = connection.ReceiveAsync(new byte[4], cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(Bound));
    }

    [Fact]
    public async Task Dispose_PendingShutdown_ClosesWithoutFurtherShutdownSteps()
    {
        var time = new FakeTimeProvider();
        var filter = ScriptedFilter.Connected();
        filter.DefaultShutdown = Step.WouldBlockRead;
        filter.WaitMode = WaitMode.UntilCancelled;
        var connection = Create(filter, time);
        using var cts = new CancellationTokenSource();
        var shutdown = connection.ShutdownAsync(null, cts.Token);

        await connection.DisposeAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => shutdown.WaitAsync(Bound));
        Assert.True(filter.IsClosed);
        Assert.Equal(2, filter.ShutdownCalls);
    }
}
