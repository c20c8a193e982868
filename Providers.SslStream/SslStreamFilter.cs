using PlatformSslStream = System.Net.Security.SslStream;

namespace Vtls.Providers.SslStream;

/// <summary>
/// A TLS filter over <see cref="System.Net.Security.SslStream"/>, driven without ever blocking.
/// </summary>
/// <remarks>
/// <para>
/// SslStream has no non-blocking API, so it runs over a private <see cref="MemoryBioStream"/>: every call of
/// this filter first moves ciphertext between that stream and the filter below (<see cref="Pump"/>), which
/// resumes SslStream inline, and then looks at the one SslStream task it has outstanding (the handshake, a
/// read into <see cref="_plaintext"/>, a write, or the close_notify). A task still running means would-block.
/// </para>
/// <para>The partial files hold one concern each: handshake, receive, send, shutdown, errors.</para>
/// </remarks>
public sealed partial class SslStreamFilter : TlsFilter
{
    // One maximal TLS record of plaintext (RFC 8446, 5.1: 2^14 bytes), so a read can take a whole record.
    private const int PlaintextBufferSize = 16 * 1024;

    // The most ciphertext pulled from the filter below in one call: a peer that floods us cannot keep one
    // call busy forever. What is left stays in the kernel, so the socket reports readable at once.
    private const int MaxPullPerCall = 256 * 1024;

    private readonly object _gate = new();
    private readonly MemoryBioStream _bio;
    private readonly PlatformSslStream _ssl;
    private readonly byte[] _pullBuffer = new byte[32 * 1024];
    private int _pulledThisCall;

    /// <summary>Creates a filter; <see cref="SslStreamBackend"/> is the public way to make one.</summary>
    internal SslStreamFilter(TlsRole role, ConnectionFilter next, TlsOptions options)
        : base(SslStreamBackend.BackendName, role, next, options)
    {
        _bio = new MemoryBioStream(_gate);

        // Our own certificate check replaces SslStream's (see the handshake file); leaveInnerStreamOpen is
        // false so that disposing SslStream disposes the memory stream too.
        _ssl = new PlatformSslStream(_bio, leaveInnerStreamOpen: false, ValidatePeerCertificate);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// True while decrypted bytes wait here, ciphertext waits in the memory stream, or the last read returned
    /// data: SslStream may then hold further records in its own buffer, which nobody outside can see. Only a
    /// read that goes back to waiting for the transport proves there is nothing more, so a poll loop calls
    /// receive again instead of waiting on a socket that has nothing more to say.
    /// </remarks>
    public override bool HasBufferedInput
    {
        get
        {
            lock (_gate)
            {
                return _plainCount > 0 || _bio.InboundCount > 0 || _mayHoldRecords || base.HasBufferedInput;
            }
        }
    }

    /// <summary>For tests: how often SslStream ran outside a call of this filter (expected: never).</summary>
    internal int OffThreadCalls => _bio.OffThreadCalls;

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        lock (_gate)
        {
            int unsent = _bio.OutboundCount;

            // FACTS: SslStream.Dispose sends no close_notify; it also disposes the memory stream, which fails
            // any read SslStream still has outstanding so that the operation unwinds. Queued bytes are dropped:
            // close sends nothing (DESIGN.md 2, shutdown rule 8).
            InlineExecution.Run(_ssl.Dispose);
            ObserveAbandonedTasks();
            SslStreamLog.Closed(Logger, Name, unsent);
        }
    }

    /// <summary>Runs one filter operation under the lock, with SslStream's continuations kept inline.</summary>
    private T Step<T>(Func<T> operation)
    {
        lock (_gate)
        {
            _pulledThisCall = 0;
            return InlineExecution.Run(operation);
        }
    }

    /// <summary>
    /// Moves ciphertext both ways without blocking: queued output to the filter below, then input from it
    /// into SslStream for as long as SslStream waits for input, then any output that input produced.
    /// </summary>
    private void Pump()
    {
        FlushOutbound();
        PullInbound();
        FlushOutbound();
    }

    /// <summary>Sends queued ciphertext to the filter below, keeping what it does not take.</summary>
    /// <returns>Whether the queue is now empty.</returns>
    private bool FlushOutbound()
    {
        while (_bio.OutboundCount > 0)
        {
            var sent = Next!.Send(_bio.PeekOutbound());
            if (sent.IsWouldBlock)
            {
                return false;
            }

            _bio.ConsumeOutbound(sent.Count);
        }

        return true;
    }

    private void PullInbound()
    {
        // Only while SslStream waits: input it does not ask for stays in the kernel (natural backpressure).
        while (_bio.IsReadPending && !_bio.IsEndOfStreamFed && _pulledThisCall < MaxPullPerCall)
        {
            var received = Next!.Receive(_pullBuffer);
            if (received.IsWouldBlock)
            {
                return;
            }

            if (received.IsEndOfStream)
            {
                _bio.FeedEndOfStream();
                return;
            }

            _pulledThisCall += received.Count;
            _bio.Feed(_pullBuffer.AsSpan(0, received.Count));
        }
    }

    /// <summary>What to wait for after a would-block: writable while output is queued, readable otherwise.</summary>
    private IoInterest PendingInterest()
    {
        var interest = IoInterest.None;
        if (_bio.OutboundCount > 0)
        {
            interest |= IoInterest.Write;
        }

        if (_bio.IsReadPending || interest == IoInterest.None)
        {
            interest |= IoInterest.Read;
        }

        return interest;
    }
}
