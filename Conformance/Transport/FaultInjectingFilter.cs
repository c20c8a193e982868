using Microsoft.Extensions.Logging;

namespace Vtls.Conformance.Transport;

/// <summary>
/// A pass-through filter, put between a TLS filter and the filter below it (usually <see cref="TcpSocketFilter"/>),
/// that injects would-block, one-byte and partial I/O, EOF and reset on a <see cref="FaultSchedule"/>, and keeps a
/// copy of every byte it sent down so tests can parse what the TLS filter wrote.
/// </summary>
public sealed class FaultInjectingFilter : ConnectionFilter
{
    /// <summary>Creates the filter over <paramref name="next"/>.</summary>
    /// <param name="next">The filter below.</param>
    /// <param name="schedule">The faults to inject.</param>
    /// <param name="logger">Trace sink.</param>
    public FaultInjectingFilter(ConnectionFilter next, FaultSchedule schedule, ILogger? logger = null)
        : base("faults", next ?? throw new ArgumentNullException(nameof(next)), logger)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
    }

    /// <summary>The schedule in use; its <see cref="FaultSchedule.Enabled"/> may be flipped at any time.</summary>
    public FaultSchedule Schedule { get; }

    /// <summary>Bytes the filter below accepted.</summary>
    public long BytesSent => throw new NotImplementedException();

    /// <summary>Bytes received from the filter below.</summary>
    public long BytesReceived => throw new NotImplementedException();

    /// <summary>How many would-blocks were injected (not counting real ones from below).</summary>
    public int InjectedWouldBlocks => throw new NotImplementedException();

    /// <summary>A copy of every byte the filter below accepted, in order.</summary>
    public byte[] SentBytes => throw new NotImplementedException();

    /// <inheritdoc/>
    protected override Progress ConnectCore() => throw new NotImplementedException();

    /// <inheritdoc/>
    protected override IoResult SendCore(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer) => throw new NotImplementedException();

    /// <inheritdoc/>
    protected override Progress ShutdownCore() => Progress.Done;

    /// <inheritdoc/>
    protected override void CloseCore()
    {
    }
}
