using Microsoft.Extensions.Logging;

namespace Vtls.Tests.Fakes;

/// <summary>How <see cref="ScriptedFilter.WaitAsync"/> behaves.</summary>
internal enum WaitMode
{
    /// <summary>Completes at once: the next retry finds the transport ready.</summary>
    Immediate,

    /// <summary>Never completes by itself: only cancellation ends it (a silent peer).</summary>
    UntilCancelled,
}

/// <summary>
/// A filter whose core operations follow a script, and which records every call that reaches its core.
/// When a script is empty the <c>Default...</c> step applies.
/// </summary>
internal sealed class ScriptedFilter : ConnectionFilter
{
    public ScriptedFilter(string name = "fake", ConnectionFilter? next = null, ILogger? logger = null)
        : base(name, next, logger)
    {
    }

    public Queue<Step> ConnectSteps { get; } = new();

    public Queue<Step> SendSteps { get; } = new();

    public Queue<Step> ReceiveSteps { get; } = new();

    public Queue<Step> ShutdownSteps { get; } = new();

    public Step DefaultConnect { get; set; } = Step.Completed;

    public Step DefaultSend { get; set; } = new Step.Take(int.MaxValue);

    public Step DefaultReceive { get; set; } = Step.WouldBlockRead;

    public Step DefaultShutdown { get; set; } = Step.Completed;

    public WaitMode WaitMode { get; set; } = WaitMode.Immediate;

    public int ConnectCalls { get; private set; }

    public int SendCalls { get; private set; }

    public int ReceiveCalls { get; private set; }

    public int ShutdownCalls { get; private set; }

    public int CloseCalls { get; private set; }

    public int WaitCalls { get; private set; }

    public IoInterest LastWaitInterest { get; private set; }

    public List<byte> Sent { get; } = [];

    /// <summary>If set, every shutdown step appends this filter's name: shared lists show the order.</summary>
    public List<string>? CallLog { get; set; }

    /// <summary>Runs inside <c>CloseCore</c>, to observe on which thread and when the filter is closed.</summary>
    public Action? OnClose { get; set; }

    /// <summary>A connected filter, as after a finished handshake.</summary>
    public static ScriptedFilter Connected(string name = "fake", ConnectionFilter? next = null)
    {
        var filter = new ScriptedFilter(name, next);
        Assert.Equal(Progress.Done, filter.Connect());
        return filter;
    }

    public override async ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken)
    {
        WaitCalls++;
        LastWaitInterest = interest;
        if (Next is not null)
        {
            await Next.WaitAsync(interest, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (WaitMode == WaitMode.UntilCancelled)
        {
            // Completed from the token's callback with inline continuations, as a hand-written filter might:
            // whoever cancels runs what awaits this, unless the canceller takes care not to.
            var never = new TaskCompletionSource();
            using var registration = cancellationToken.Register(() => never.TrySetCanceled(cancellationToken));
            await never.Task.ConfigureAwait(false);
        }
    }

    protected override Progress ConnectCore()
    {
        ConnectCalls++;
        var progress = Run(ConnectSteps, DefaultConnect);
        if (progress == Progress.Done)
        {
            IsConnected = true;
        }

        return progress;
    }

    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        SendCalls++;
        var step = SendSteps.TryDequeue(out var s) ? s : DefaultSend;
        switch (step)
        {
            case Step.Block block:
                Interest = block.Interest;
                return IoResult.WouldBlock;
            case Step.Take take:
                int n = Math.Min(take.Count, data.Length);
                Sent.AddRange(data[..n].ToArray());
                Interest = IoInterest.None;
                return IoResult.Completed(n);
            case Step.Fail fail:
                throw fail.Error;
            default:
                throw new InvalidOperationException($"Step {step} makes no sense for send.");
        }
    }

    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        ReceiveCalls++;
        var step = ReceiveSteps.TryDequeue(out var s) ? s : DefaultReceive;
        switch (step)
        {
            case Step.Block block:
                Interest = block.Interest;
                return IoResult.WouldBlock;
            case Step.Data data:
                data.Bytes.CopyTo(buffer);
                Interest = IoInterest.None;
                return IoResult.Completed(data.Bytes.Length);
            case Step.Eos:
                return IoResult.EndOfStream;
            case Step.Fail fail:
                throw fail.Error;
            default:
                throw new InvalidOperationException($"Step {step} makes no sense for receive.");
        }
    }

    protected override Progress ShutdownCore()
    {
        ShutdownCalls++;
        CallLog?.Add(Name);
        return Run(ShutdownSteps, DefaultShutdown);
    }

    protected override void CloseCore()
    {
        CloseCalls++;
        OnClose?.Invoke();
    }

    private Progress Run(Queue<Step> script, Step fallback)
    {
        var step = script.TryDequeue(out var s) ? s : fallback;
        switch (step)
        {
            case Step.Block block:
                Interest = block.Interest;
                return Progress.WouldBlock;
            case Step.Done:
                Interest = IoInterest.None;
                return Progress.Done;
            case Step.Fail fail:
                throw fail.Error;
            default:
                throw new InvalidOperationException($"Step {step} makes no sense for connect or shutdown.");
        }
    }
}
