using Microsoft.Extensions.Time.Testing;
using Vtls.Tests.Fakes;

namespace Vtls.Tests;

/// <summary>The chain's shutdown: order, skipping, resumption, budget (DESIGN.md 2, shutdown rules 1 and 7).</summary>
public class FilterChainTests
{
    private static (ScriptedFilter Top, ScriptedFilter Middle, ScriptedFilter Bottom) ConnectedThree()
    {
        var bottom = new ScriptedFilter("bottom");
        var middle = new ScriptedFilter("middle", bottom);
        var top = new ScriptedFilter("top", middle);
        Assert.Equal(Progress.Done, top.Connect());
        return (top, middle, bottom);
    }

    [Fact]
    public void Shutdown_ConnectedChain_RunsTopToBottom()
    {
        var (top, middle, bottom) = ConnectedThree();
        var order = new List<string>();
        top.CallLog = middle.CallLog = bottom.CallLog = order;
        var chain = new FilterChain(top);

        var progress = chain.Shutdown();

        Assert.Equal(Progress.Done, progress);
        Assert.Equal(["top", "middle", "bottom"], order);
        Assert.True(chain.IsShutDown);
        Assert.All([top, middle, bottom], f => Assert.True(f.IsShutDown));
    }

    [Fact]
    public void Shutdown_FilterNotConnected_Skipped()
    {
        var bottom = new ScriptedFilter("bottom");
        var top = new ScriptedFilter("top", bottom);
        // The handshake of the top filter never finished (a rejected certificate, say).
        top.ConnectSteps.Enqueue(new Step.Fail(new TlsException(TlsErrorKind.Certificate, "untrusted")));
        Assert.Throws<TlsException>(() => top.Connect());
        var chain = new FilterChain(top);

        var progress = chain.Shutdown();

        Assert.Equal(Progress.Done, progress);
        Assert.Equal(0, top.ShutdownCalls);
        Assert.Equal(1, bottom.ShutdownCalls);
        Assert.Empty(top.Sent);
    }

    [Fact]
    public void Shutdown_FilterAlreadyShutDown_Skipped()
    {
        var (top, middle, bottom) = ConnectedThree();
        Assert.Equal(Progress.Done, middle.Shutdown());
        var chain = new FilterChain(top);

        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.Equal(1, top.ShutdownCalls);
        Assert.Equal(1, middle.ShutdownCalls);
        Assert.Equal(1, bottom.ShutdownCalls);
    }

    [Fact]
    public void Shutdown_NeverConnected_DoneAndNothingCalled()
    {
        var bottom = new ScriptedFilter("bottom");
        var top = new ScriptedFilter("top", bottom);
        var chain = new FilterChain(top);

        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.Equal(0, top.ShutdownCalls + bottom.ShutdownCalls + top.ConnectCalls + bottom.ConnectCalls);
    }

    [Fact]
    public void Shutdown_WouldBlock_StopsThereAndResumesThere()
    {
        var (top, middle, bottom) = ConnectedThree();
        middle.ShutdownSteps.Enqueue(Step.WouldBlockWrite);
        middle.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        var chain = new FilterChain(top);

        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        Assert.Equal(IoInterest.Write, chain.Interest);
        Assert.Equal(0, bottom.ShutdownCalls);

        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        Assert.Equal(IoInterest.Read, chain.Interest);
        Assert.Equal(0, bottom.ShutdownCalls);

        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.Equal(1, top.ShutdownCalls);
        Assert.Equal(3, middle.ShutdownCalls);
        Assert.Equal(1, bottom.ShutdownCalls);
        Assert.Equal(IoInterest.None, chain.Interest);
        Assert.True(chain.IsShutDown);
    }

    [Fact]
    public void Shutdown_AfterHandshakeFailedAndChainClosed_RethrowsTheHandshakeFailure()
    {
        // Reported by hostile-peer testing: ShutdownAsync after a failed ConnectAsync said "tcp: the connection is
        // closed", naming an internal layer and hiding the real cause.
        var bottom = ScriptedFilter.Connected("tcp");
        var top = new ScriptedFilter("tls", bottom);
        var rejected = new TlsException(TlsErrorKind.Certificate, "The server certificate is expired.");
        top.ConnectSteps.Enqueue(new Step.Fail(rejected));
        var chain = new FilterChain(top);
        Assert.Same(rejected, Assert.Throws<TlsException>(() => chain.Connect()));
        chain.Close();

        var e = Assert.Throws<TlsException>(() => chain.Shutdown());

        Assert.Same(rejected, e);
        Assert.Equal(0, top.ShutdownCalls);
        Assert.Equal(0, bottom.ShutdownCalls);
    }

    [Fact]
    public void Shutdown_BudgetSpent_TimeoutChainClosedNothingMoreCalled()
    {
        var time = new FakeTimeProvider();
        var (top, middle, bottom) = ConnectedThree();
        top.DefaultShutdown = Step.WouldBlockRead;
        var chain = new FilterChain(top, TimeSpan.FromSeconds(2), time);

        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        Assert.Equal(TimeSpan.FromSeconds(1), chain.ShutdownTimeLeft);
        time.Advance(TimeSpan.FromSeconds(1));

        var e = Assert.Throws<TlsException>(() => chain.Shutdown());

        Assert.Equal(TlsErrorKind.Timeout, e.Kind);
        Assert.True(chain.IsClosed);
        Assert.All([top, middle, bottom], f => Assert.True(f.IsClosed));
        Assert.Equal(2, top.ShutdownCalls);
        Assert.Equal(0, middle.ShutdownCalls);
        Assert.Empty(top.Sent);
        Assert.Equal(TlsErrorKind.Timeout, Assert.Throws<TlsException>(() => chain.Shutdown()).Kind);
        Assert.Equal(2, top.ShutdownCalls);
    }

    [Fact]
    public void Shutdown_OneBudgetAcrossTheChain_LaterFiltersGetWhatIsLeft()
    {
        var time = new FakeTimeProvider();
        var (top, _, bottom) = ConnectedThree();
        top.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        bottom.DefaultShutdown = Step.WouldBlockRead;
        var chain = new FilterChain(top, TimeSpan.FromSeconds(2), time);

        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(Progress.WouldBlock, chain.Shutdown());
        Assert.True(top.IsShutDown);
        time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(TlsErrorKind.Timeout, Assert.Throws<TlsException>(() => chain.Shutdown()).Kind);
        Assert.True(bottom.IsClosed);
    }

    [Fact]
    public void ThrowIfBudgetSpent_BeforeShutdown_DoesNothing()
    {
        var time = new FakeTimeProvider();
        var (top, _, _) = ConnectedThree();
        var chain = new FilterChain(top, TimeSpan.FromSeconds(1), time);
        time.Advance(TimeSpan.FromHours(1));

        chain.ThrowIfBudgetSpent();

        Assert.False(chain.IsClosed);
        Assert.Equal(TimeSpan.FromSeconds(1), chain.ShutdownTimeLeft);
    }

    [Fact]
    public void Shutdown_FilterFails_ChainClosedAndErrorThrown()
    {
        var (top, middle, bottom) = ConnectedThree();
        var truncated = TlsException.Truncated("during shutdown");
        top.ShutdownSteps.Enqueue(new Step.Fail(truncated));
        var chain = new FilterChain(top);

        var e = Assert.Throws<TlsException>(() => chain.Shutdown());

        Assert.Same(truncated, e);
        Assert.True(chain.IsClosed);
        Assert.All([top, middle, bottom], f => Assert.True(f.IsClosed));
        Assert.Equal(0, middle.ShutdownCalls);
    }

    [Fact]
    public void Shutdown_FilterThrowsNonTlsException_ChainClosed()
    {
        var (top, _, bottom) = ConnectedThree();
        top.ShutdownSteps.Enqueue(new Step.Fail(new ObjectDisposedException("provider")));
        var chain = new FilterChain(top);

        Assert.Throws<ObjectDisposedException>(() => chain.Shutdown());

        Assert.True(bottom.IsClosed);
    }

    [Fact]
    public void Shutdown_Done_LaterCallsDoneAtOnce()
    {
        var (top, _, _) = ConnectedThree();
        var chain = new FilterChain(top);
        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.Equal(Progress.Done, chain.Shutdown());

        Assert.Equal(1, top.ShutdownCalls);
    }

    [Fact]
    public void Send_AfterChainShutdownStarted_MisuseNothingSent()
    {
        var (top, _, _) = ConnectedThree();
        top.ShutdownSteps.Enqueue(Step.WouldBlockRead);
        var chain = new FilterChain(top);
        chain.Shutdown();

        Assert.Equal(TlsErrorKind.Misuse, Assert.Throws<TlsException>(() => chain.Send([1, 2])).Kind);

        Assert.Empty(top.Sent);
    }

    [Fact]
    public void Connect_WouldBlock_ChainReportsLowerInterest()
    {
        var bottom = new ScriptedFilter("bottom");
        bottom.ConnectSteps.Enqueue(Step.WouldBlockWrite);
        var top = new ScriptedFilter("top", bottom);
        var chain = new FilterChain(top);

        Assert.Equal(Progress.WouldBlock, chain.Connect());
        Assert.Equal(IoInterest.Write, chain.Interest);
        Assert.Equal(Progress.Done, chain.Connect());
        Assert.True(chain.IsConnected);
        Assert.Equal(IoInterest.None, chain.Interest);
    }

    [Fact]
    public async Task WaitAsync_AfterReceiveWouldBlock_WaitsForTheFilterInterest()
    {
        var (top, _, bottom) = ConnectedThree();
        top.ReceiveSteps.Enqueue(Step.WouldBlockWrite);
        var chain = new FilterChain(top);

        Assert.True(chain.Receive(new byte[4]).IsWouldBlock);
        await chain.WaitAsync(CancellationToken.None);

        Assert.Equal(IoInterest.Write, chain.Interest);
        Assert.Equal(IoInterest.Write, bottom.LastWaitInterest);
    }

    [Fact]
    public async Task WaitAsync_NoStatedInterest_WaitsForRead()
    {
        var (top, _, bottom) = ConnectedThree();
        var chain = new FilterChain(top);

        await chain.WaitAsync(CancellationToken.None);

        Assert.Equal(IoInterest.Read, bottom.LastWaitInterest);
    }

    [Fact]
    public void ShutdownTimeLeft_BeforeShutdown_WholeBudget()
    {
        var (top, _, _) = ConnectedThree();

        Assert.Equal(TimeSpan.FromSeconds(2), new FilterChain(top).ShutdownTimeLeft);
    }

    [Fact]
    public void Constructor_NonPositiveBudget_Rejected()
    {
        var top = new ScriptedFilter();

        Assert.Throws<ArgumentOutOfRangeException>(() => new FilterChain(top, TimeSpan.Zero));
    }

    [Fact]
    public void Filters_ListsTopToBottom()
    {
        var (top, middle, bottom) = ConnectedThree();

        Assert.Equal([top, middle, bottom], new FilterChain(top).Filters);
    }
}
