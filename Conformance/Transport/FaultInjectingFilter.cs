using Microsoft.Extensions.Logging;

namespace Vtls.Conformance.Transport;

/// <summary>
/// A pass-through filter, put between a TLS filter and the filter below it (usually <see cref="TcpSocketFilter"/>),
/// that injects would-block, one-byte and partial I/O, EOF and reset on a <see cref="FaultSchedule"/>, and keeps a
/// copy of every byte it sent down so tests can parse what the TLS filter wrote.
/// </summary>
/// <remarks>
/// It has no protocol of its own: it is connected when the filter below is, its shutdown is done at once (the
/// chain then shuts down the filter below), and close closes the filter below.
/// </remarks>
public sealed class FaultInjectingFilter : ConnectionFilter
{
    private readonly MemoryStream _sent = new();
    private bool _injectedWouldBlockPending;

    /// <summary>Creates the filter over <paramref name="next"/>.</summary>
    /// <param name="next">The filter below.</param>
    /// <param name="schedule">The faults to inject; owned by this filter from now on.</param>
    /// <param name="logger">Trace sink.</param>
    public FaultInjectingFilter(ConnectionFilter next, FaultSchedule schedule, ILogger? logger = null)
        : base("faults", next ?? throw new ArgumentNullException(nameof(next)), logger)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        IsConnected = next.IsConnected;
    }

    /// <summary>The schedule in use; its <see cref="FaultSchedule.Enabled"/> may be flipped at any time.</summary>
    public FaultSchedule Schedule { get; }

    /// <summary>Bytes the filter below accepted.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Bytes received from the filter below and handed up.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>How many would-blocks were injected (not counting real ones from below).</summary>
    public int InjectedWouldBlocks { get; private set; }

    /// <summary>How many calls were passed down with a smaller span than asked for.</summary>
    public int ShortenedCalls { get; private set; }

    /// <summary>A copy of every byte the filter below accepted, in order.</summary>
    public byte[] SentBytes => _sent.ToArray();

    /// <inheritdoc/>
    /// <remarks>After an injected would-block the wait completes at once: nothing below is blocked.</remarks>
    public override ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken)
    {
        if (_injectedWouldBlockPending)
        {
            _injectedWouldBlockPending = false;
            return ValueTask.CompletedTask;
        }

        return base.WaitAsync(interest, cancellationToken);
    }

    /// <inheritdoc/>
    protected override Progress ConnectCore()
    {
        // The filter below is connected (the base class drove it first); there is no handshake of our own.
        IsConnected = true;
        Interest = IoInterest.None;
        return Progress.Done;
    }

    /// <inheritdoc/>
    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        var decision = Schedule.Decide(FaultOperation.Send, data.Length);
        if (decision.IsWouldBlock)
        {
            return InjectWouldBlock(IoInterest.Write);
        }

        _injectedWouldBlockPending = false;
        var slice = Shorten(data, decision.Limit);
        var result = Next!.Send(slice);
        Interest = result.IsWouldBlock ? Next.Interest : IoInterest.None;
        if (result.Status == IoStatus.Completed)
        {
            BytesSent += result.Count;
            _sent.Write(slice[..result.Count]);
        }

        return result;
    }

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        int length = buffer.Length;
        if (Schedule.Enabled)
        {
            length = LimitByThresholds(length);
            if (length == 0 && Schedule.ResetAfter is not null && BytesReceived >= Schedule.ResetAfter)
            {
                throw new TlsException(
                    TlsErrorKind.TransportReset,
                    $"{Name}: injected reset after {BytesReceived} bytes received ({Schedule}).");
            }

            if (length == 0)
            {
                Interest = IoInterest.None;
                return IoResult.EndOfStream;
            }
        }

        var decision = Schedule.Decide(FaultOperation.Receive, length);
        if (decision.IsWouldBlock)
        {
            return InjectWouldBlock(IoInterest.Read);
        }

        _injectedWouldBlockPending = false;
        if (decision.Limit < buffer.Length)
        {
            ShortenedCalls++;
        }

        var result = Next!.Receive(buffer[..decision.Limit]);
        Interest = result.IsWouldBlock ? Next.Interest : IoInterest.None;
        if (result.Status == IoStatus.Completed)
        {
            BytesReceived += result.Count;
        }

        return result;
    }

    /// <inheritdoc/>
    protected override Progress ShutdownCore() => Progress.Done;

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        // Nothing of our own to release; the base class closes the filter below.
    }

    private IoResult InjectWouldBlock(IoInterest interest)
    {
        InjectedWouldBlocks++;
        _injectedWouldBlockPending = true;
        Interest = interest;
        return IoResult.WouldBlock;
    }

    private ReadOnlySpan<byte> Shorten(ReadOnlySpan<byte> data, int limit)
    {
        if (limit >= data.Length)
        {
            return data;
        }

        ShortenedCalls++;
        return data[..limit];
    }

    /// <summary>Caps a receive so it stops exactly at the EOF or reset threshold; 0 once one is reached.</summary>
    private int LimitByThresholds(int length)
    {
        long? threshold = (Schedule.EndOfStreamAfter, Schedule.ResetAfter) switch
        {
            (long eof, long reset) => Math.Min(eof, reset),
            (long eof, null) => eof,
            (null, long reset) => reset,
            _ => null,
        };
        return threshold is long t ? (int)Math.Min(length, Math.Max(0, t - BytesReceived)) : length;
    }
}
