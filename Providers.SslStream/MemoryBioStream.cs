namespace Vtls.Providers.SslStream;

/// <summary>
/// The in-memory transport under <see cref="System.Net.Security.SslStream"/> (OpenSSL's "memory BIO" idea):
/// SslStream reads ciphertext that the filter fed in, and writes ciphertext into a queue that the filter
/// drains to the filter below. Nothing here touches a socket or ever blocks.
/// </summary>
/// <remarks>
/// <para>
/// A read with no bytes buffered returns a pending task. Its <see cref="TaskCompletionSource{T}"/> is made
/// WITHOUT <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> on purpose: when the filter feeds
/// bytes, SslStream's state machine resumes inline, on the filter's thread, inside <see cref="Feed"/>. That is
/// what lets a non-blocking call observe the whole effect of the bytes it fed before it returns.
/// </para>
/// <para>
/// End-of-stream is delivered only after <see cref="FeedEndOfStream"/>, and <see cref="DeliveredEndOfStream"/>
/// records that it was: SslStream returns 0 both for the peer's close_notify and for a bare transport EOF at a
/// record boundary, and this flag is how the filter tells the two apart.
/// </para>
/// <para>All members run under the owning filter's lock (re-entered by inline continuations).</para>
/// </remarks>
internal sealed class MemoryBioStream : Stream
{
    private const int InitialCapacity = 16 * 1024;
    private readonly object _gate;
    private readonly ByteQueue _inbound = new(InitialCapacity);
    private readonly ByteQueue _outbound = new(InitialCapacity);
    private TaskCompletionSource<int>? _pendingRead;
    private Memory<byte> _pendingBuffer;
    private bool _endOfStreamFed;
    private bool _disposed;
    private int _offThreadCalls;

    public MemoryBioStream(object gate) => _gate = gate;

    /// <summary>Whether SslStream waits for ciphertext (a read of ours is outstanding).</summary>
    public bool IsReadPending
    {
        get
        {
            lock (_gate)
            {
                return _pendingRead is not null;
            }
        }
    }

    /// <summary>Ciphertext fed in but not yet read by SslStream.</summary>
    public int InboundCount
    {
        get
        {
            lock (_gate)
            {
                return _inbound.Count;
            }
        }
    }

    /// <summary>Ciphertext SslStream wrote that still waits to go to the filter below.</summary>
    public int OutboundCount
    {
        get
        {
            lock (_gate)
            {
                return _outbound.Count;
            }
        }
    }

    /// <summary>Whether the transport's EOF was fed in.</summary>
    public bool IsEndOfStreamFed
    {
        get
        {
            lock (_gate)
            {
                return _endOfStreamFed;
            }
        }
    }

    /// <summary>
    /// Whether SslStream was handed end-of-stream: a read with a non-empty buffer returned 0. Zero-length reads
    /// (SslStream's "wait for data" probe) never count.
    /// </summary>
    public bool DeliveredEndOfStream { get; private set; }

    /// <summary>
    /// How often SslStream used this stream outside a filter call (the caller's thread does not hold the lock):
    /// it then advanced on another thread. Never seen; the tests pin that it stays 0.
    /// </summary>
    public int OffThreadCalls => Volatile.Read(ref _offThreadCalls);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Appends ciphertext from the wire and completes SslStream's pending read, if any.</summary>
    public void Feed(ReadOnlySpan<byte> ciphertext)
    {
        lock (_gate)
        {
            _inbound.Append(ciphertext);
            CompletePendingRead();
        }
    }

    /// <summary>Records the transport's EOF and completes SslStream's pending read, if any.</summary>
    public void FeedEndOfStream()
    {
        lock (_gate)
        {
            _endOfStreamFed = true;
            CompletePendingRead();
        }
    }

    /// <summary>The ciphertext waiting to be sent, oldest first; valid until the next change.</summary>
    public ReadOnlySpan<byte> PeekOutbound() => _outbound.Peek();

    /// <summary>Drops <paramref name="count"/> bytes that the filter below accepted.</summary>
    public void ConsumeOutbound(int count)
    {
        lock (_gate)
        {
            _outbound.Consume(count);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CountOffThreadCall();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pendingRead is not null)
            {
                throw new NotSupportedException("SslStream issued a second concurrent read on its inner stream.");
            }

            if (_inbound.Count > 0 || _endOfStreamFed)
            {
                return new ValueTask<int>(ReadBuffered(buffer.Span));
            }

            _pendingRead = new TaskCompletionSource<int>(TaskCreationOptions.None);
            _pendingBuffer = buffer;
            return new ValueTask<int>(_pendingRead.Task);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CountOffThreadCall();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _outbound.Append(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // The filter only ever calls SslStream's asynchronous methods, so SslStream never reads synchronously; a
    // synchronous read here could only block, which this stream must never do.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("MemoryBioStream is read asynchronously only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        TaskCompletionSource<int>? abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            abandoned = _pendingRead;
            _pendingRead = null;
            _pendingBuffer = default;
            _inbound.Clear();
            _outbound.Clear();
        }

        // Lets an outstanding SslStream operation unwind (it fails) so that it releases its native state.
        abandoned?.TrySetException(new ObjectDisposedException(nameof(MemoryBioStream)));
        base.Dispose(disposing);
    }

    private void CountOffThreadCall()
    {
        if (!Monitor.IsEntered(_gate))
        {
            Interlocked.Increment(ref _offThreadCalls);
        }
    }

    private int ReadBuffered(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            // A zero-length read asks "is there data?": answer at once, and never count it as EOF.
            return 0;
        }

        if (_inbound.Count > 0)
        {
            return _inbound.Take(destination);
        }

        DeliveredEndOfStream = true;
        return 0;
    }

    private void CompletePendingRead()
    {
        if (_pendingRead is null || (_inbound.Count == 0 && !_endOfStreamFed))
        {
            return;
        }

        var read = _pendingRead;
        int count = ReadBuffered(_pendingBuffer.Span);
        _pendingRead = null;
        _pendingBuffer = default;

        // Runs SslStream's continuation inline (see remarks); it may read or write this stream re-entrantly.
        read.TrySetResult(count);
    }
}
