using Vtls.Conformance.Pki;
using Vtls.Providers.SslStream;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// SslStream must advance inline, on the caller's thread, inside each non-blocking call. Where the caller has a
/// synchronization context or a custom task scheduler the runtime would otherwise queue SslStream's
/// continuations elsewhere; these tests run the provider where nothing queued there ever runs.
/// </summary>
public sealed class InlineExecutionTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-inline");

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Operations_OnTestRunnerThread_RunInline() => RunConversation();

    [Fact]
    public void Operations_UnderContextThatNeverRunsPostedWork_StillComplete()
    {
        var previous = SynchronizationContext.Current;
        var blackHole = new BlackHoleContext();
        SynchronizationContext.SetSynchronizationContext(blackHole);
        try
        {
            RunConversation();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.Equal(0, blackHole.Posted);
    }

    [Fact]
    public async Task Operations_InsideTaskOnExclusiveScheduler_StillComplete()
    {
        var scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

        // The exclusive scheduler runs one task at a time: a continuation queued to it while this task runs
        // would wait until after it, and the conversation below would time out.
        var run = Task.Factory.StartNew(RunConversation, CancellationToken.None, TaskCreationOptions.None, scheduler);

        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void RunConversation()
    {
        using var pair = TlsPair.Connected(_pki);
        var received = new MemoryStream();
        Drive.Until(Drive.SendAll(pair.Client, new byte[50_000]), Drive.ReceiveExactly(pair.Server, received, 50_000));
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));

        // Every step of SslStream ran inside one of the filters' calls, on this thread.
        Assert.Equal(0, ((SslStreamFilter)pair.Client).OffThreadCalls);
        Assert.Equal(0, ((SslStreamFilter)pair.Server).OffThreadCalls);
    }

    private sealed class BlackHoleContext : SynchronizationContext
    {
        public int Posted { get; private set; }

        public override void Post(SendOrPostCallback d, object? state) => Posted++;

        public override void Send(SendOrPostCallback d, object? state) => Posted++;
    }
}
