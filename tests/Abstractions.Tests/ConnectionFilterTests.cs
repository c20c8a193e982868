using Vtls.Tests.Fakes;

namespace Vtls.Tests;

/// <summary>The rules the <see cref="ConnectionFilter"/> base enforces for every filter (DESIGN.md 2).</summary>
public class ConnectionFilterTests
{
    private static readonly byte[] Payload = [1, 2, 3, 4];

    [Fact]
    public void Connect_LowerFilterNotConnected_DrivesLowerFirst()
    {
        var lower = new ScriptedFilter("lower");
        lower.ConnectSteps.Enqueue(Step.WouldBlockWrite);
        var upper = new ScriptedFilter("upper", lower);

        var first = upper.Connect();

        Assert.Equal(Progress.WouldBlock, first);
        Assert.Equal(IoInterest.Write, upper.Interest);
        Assert.Equal(1, lower.ConnectCalls);
        Assert.Equal(0, upper.ConnectCalls);
        Assert.False(upper.IsConnected);

        var second = upper.Connect();

        Assert.Equal(Progress.Done, second);
        Assert.True(lower.IsConnected);
        Assert.True(upper.IsConnected);
        Assert.Equal(2, lower.ConnectCalls);
        Assert.Equal(1, upper.ConnectCalls);
    }

    [Fact]
    public void Connect_AlreadyConnected_DoneWithoutCallingCore()
    {
        var filter = ScriptedFilter.Connected();

        Assert.Equal(Progress.Done, filter.Connect());
        Assert.Equal(1, filter.ConnectCalls);
    }

    [Fact]
    public void Connect_LowerFails_UpperKeepsTheSameError()
    {
        var lower = new ScriptedFilter("lower");
        var error = new TlsException(TlsErrorKind.Transport, "refused");
        lower.ConnectSteps.Enqueue(new Step.Fail(error));
        var upper = new ScriptedFilter("upper", lower);

        var thrown = Assert.Throws<TlsException>(() => upper.Connect());

        Assert.Same(error, thrown);
        Assert.Same(error, upper.FatalError);
        Assert.Same(error, lower.FatalError);
        Assert.Equal(0, upper.ConnectCalls);
    }

    [Fact]
    public void Send_BeforeConnect_MisuseAndCoreNotCalled()
    {
        var filter = new ScriptedFilter();

        var e = Assert.Throws<TlsException>(() => filter.Send(Payload));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Equal(0, filter.SendCalls);
        Assert.Null(filter.FatalError);
    }

    [Fact]
    public void Receive_BeforeConnect_MisuseAndCoreNotCalled()
    {
        var filter = new ScriptedFilter();

        var e = Assert.Throws<TlsException>(() => filter.Receive(new byte[16]));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Equal(0, filter.ReceiveCalls);
    }

    [Fact]
    public void Send_AfterShutdownStarted_MisuseAndNothingReachesCore()
    {
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        Assert.Equal(Progress.WouldBlock, filter.Shutdown());

        var e = Assert.Throws<TlsException>(() => filter.Send(Payload));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Contains("shutdown", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, filter.SendCalls);
        Assert.Empty(filter.Sent);
        Assert.True(filter.IsShutdownStarted);
    }

    [Fact]
    public void Send_AfterShutdownDone_Misuse()
    {
        var filter = ScriptedFilter.Connected();
        Assert.Equal(Progress.Done, filter.Shutdown());

        var e = Assert.Throws<TlsException>(() => filter.Send(Payload));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Equal(0, filter.SendCalls);
    }

    [Fact]
    public void Send_Misuse_IsNotKeptAsFatal()
    {
        var filter = new ScriptedFilter();
        Assert.Throws<TlsException>(() => filter.Send(Payload));

        Assert.Equal(Progress.Done, filter.Connect());
        var result = filter.Send(Payload);

        Assert.Equal(IoResult.Completed(Payload.Length), result);
    }

    [Fact]
    public void Send_EmptyData_CompletesWithoutCallingCore()
    {
        var filter = ScriptedFilter.Connected();

        var result = filter.Send(ReadOnlySpan<byte>.Empty);

        Assert.Equal(IoStatus.Completed, result.Status);
        Assert.Equal(0, result.Count);
        Assert.Equal(0, filter.SendCalls);
    }

    [Fact]
    public void Receive_EmptyBuffer_ArgumentException()
    {
        var filter = ScriptedFilter.Connected();

        Assert.Throws<ArgumentException>(() => filter.Receive(Span<byte>.Empty));
        Assert.Equal(0, filter.ReceiveCalls);
    }

    [Fact]
    public void Receive_AfterEndOfStream_StickyAndCoreNotCalledAgain()
    {
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(new Step.Data([7]));
        filter.ReceiveSteps.Enqueue(new Step.Eos());
        filter.DefaultReceive = new Step.Data([9, 9]);
        var buffer = new byte[8];

        Assert.Equal(IoResult.Completed(1), filter.Receive(buffer));
        Assert.Equal(IoResult.EndOfStream, filter.Receive(buffer));
        Assert.Equal(IoResult.EndOfStream, filter.Receive(buffer));
        Assert.Equal(IoResult.EndOfStream, filter.Receive(buffer));

        Assert.Equal(2, filter.ReceiveCalls);
    }

    [Fact]
    public void Receive_WouldBlock_IsAStatusWithInterest()
    {
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(Step.WouldBlockRead);

        var result = filter.Receive(new byte[8]);

        Assert.True(result.IsWouldBlock);
        Assert.Equal(0, result.Count);
        Assert.Equal(IoInterest.Read, filter.Interest);
    }

    [Fact]
    public void Shutdown_NotConnected_DoneAndCallsNothing()
    {
        var lower = new ScriptedFilter("lower");
        var filter = new ScriptedFilter("upper", lower);

        Assert.Equal(Progress.Done, filter.Shutdown());

        Assert.Equal(0, filter.ShutdownCalls);
        Assert.Equal(0, lower.ShutdownCalls);
        Assert.Equal(0, lower.ConnectCalls);
        Assert.False(filter.IsShutdownStarted);
        Assert.False(filter.IsShutDown);
    }

    [Fact]
    public void Shutdown_AfterDone_DoneAtOnceWithoutCallingCore()
    {
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        filter.ShutdownSteps.Enqueue(Step.Completed);
        Assert.Equal(Progress.WouldBlock, filter.Shutdown());
        Assert.Equal(Progress.Done, filter.Shutdown());

        Assert.Equal(Progress.Done, filter.Shutdown());
        Assert.Equal(Progress.Done, filter.Shutdown());

        Assert.Equal(2, filter.ShutdownCalls);
        Assert.True(filter.IsShutDown);
        Assert.Equal(IoInterest.None, filter.Interest);
    }

    [Fact]
    public void Shutdown_WouldBlock_ReportsInterestAndIsResumable()
    {
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockWrite);

        Assert.Equal(Progress.WouldBlock, filter.Shutdown());
        Assert.Equal(IoInterest.Write, filter.Interest);
        Assert.False(filter.IsShutDown);

        Assert.Equal(Progress.Done, filter.Shutdown());
        Assert.True(filter.IsShutDown);
    }

    [Fact]
    public void Receive_AfterShutdownStarted_StillAllowed()
    {
        var filter = ScriptedFilter.Connected();
        filter.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        filter.Shutdown();
        filter.ReceiveSteps.Enqueue(new Step.Data([5]));

        Assert.Equal(IoResult.Completed(1), filter.Receive(new byte[4]));
    }

    [Fact]
    public void FatalError_FirstIsKeptAndRethrownByLaterCalls()
    {
        var filter = ScriptedFilter.Connected();
        var first = new TlsException(TlsErrorKind.Truncated, "cut");
        var second = new TlsException(TlsErrorKind.Protocol, "later");
        filter.ReceiveSteps.Enqueue(new Step.Fail(first));
        filter.SendSteps.Enqueue(new Step.Fail(second));

        Assert.Same(first, Assert.Throws<TlsException>(() => filter.Receive(new byte[4])));

        Assert.Same(first, Assert.Throws<TlsException>(() => filter.Send(Payload)));
        Assert.Same(first, Assert.Throws<TlsException>(() => filter.Receive(new byte[4])));
        Assert.Same(first, Assert.Throws<TlsException>(() => filter.Shutdown()));
        Assert.Same(first, Assert.Throws<TlsException>(() => filter.Connect()));
        Assert.Same(first, filter.FatalError);
        Assert.Equal(0, filter.SendCalls);
        Assert.Equal(1, filter.ReceiveCalls);
        Assert.Equal(0, filter.ShutdownCalls);
    }

    [Fact]
    public void FatalError_DuringShutdown_KeptAndShutdownNotRetried()
    {
        var filter = ScriptedFilter.Connected();
        var reset = new TlsException(TlsErrorKind.TransportReset, "reset");
        filter.ShutdownSteps.Enqueue(new Step.Fail(reset));

        Assert.Same(reset, Assert.Throws<TlsException>(() => filter.Shutdown()));
        Assert.Same(reset, Assert.Throws<TlsException>(() => filter.Shutdown()));

        Assert.Equal(1, filter.ShutdownCalls);
        Assert.False(filter.IsShutDown);
    }

    [Fact]
    public void Close_CalledTwice_ReleasesOnceAndClosesFiltersBelow()
    {
        var bottom = ScriptedFilter.Connected("bottom");
        var middle = ScriptedFilter.Connected("middle", bottom);
        var top = ScriptedFilter.Connected("top", middle);

        top.Close();
        top.Close();
        top.Dispose();

        Assert.All([top, middle, bottom], f =>
        {
            Assert.True(f.IsClosed);
            Assert.Equal(1, f.CloseCalls);
            Assert.Equal(0, f.ShutdownCalls);
            Assert.Equal(0, f.SendCalls);
        });
    }

    [Fact]
    public void Close_NeverCallsShutdown_EvenWhenShutdownWasPending()
    {
        var bottom = ScriptedFilter.Connected("bottom");
        var top = ScriptedFilter.Connected("top", bottom);
        top.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        top.Shutdown();

        top.Close();

        Assert.Equal(1, top.ShutdownCalls);
        Assert.Equal(0, bottom.ShutdownCalls);
        Assert.Equal(1, bottom.CloseCalls);
        Assert.False(top.IsShutDown);
    }

    [Fact]
    public void Close_CoreThrows_FiltersBelowStillClosed()
    {
        var bottom = ScriptedFilter.Connected("bottom");
        var top = new ThrowingCloseFilter(bottom);

        Assert.Throws<InvalidOperationException>(() => top.Close());

        Assert.True(bottom.IsClosed);
        Assert.Equal(1, bottom.CloseCalls);
    }

    [Fact]
    public void Operations_AfterClose_Misuse()
    {
        var filter = ScriptedFilter.Connected();
        filter.Close();

        Assert.Equal(TlsErrorKind.Misuse, Assert.Throws<TlsException>(() => filter.Send(Payload)).Kind);
        Assert.Equal(TlsErrorKind.Misuse, Assert.Throws<TlsException>(() => filter.Receive(new byte[4])).Kind);
        Assert.Equal(TlsErrorKind.Misuse, Assert.Throws<TlsException>(() => filter.Connect()).Kind);
        Assert.Equal(0, filter.SendCalls);
        Assert.Equal(0, filter.ReceiveCalls);
        Assert.Equal(0, filter.ShutdownCalls);
    }

    [Fact]
    public void Close_AfterFatalError_StillReleases()
    {
        var filter = ScriptedFilter.Connected();
        filter.ReceiveSteps.Enqueue(new Step.Fail(new TlsException(TlsErrorKind.Protocol, "bad record")));
        Assert.Throws<TlsException>(() => filter.Receive(new byte[4]));

        filter.Close();

        Assert.Equal(1, filter.CloseCalls);
    }

    private sealed class ThrowingCloseFilter(ConnectionFilter next) : ConnectionFilter("throwing", next, null)
    {
        protected override Progress ConnectCore() => Progress.Done;

        protected override IoResult SendCore(ReadOnlySpan<byte> data) => IoResult.WouldBlock;

        protected override IoResult ReceiveCore(Span<byte> buffer) => IoResult.WouldBlock;

        protected override Progress ShutdownCore() => Progress.Done;

        protected override void CloseCore() => throw new InvalidOperationException("release failed");
    }
}
