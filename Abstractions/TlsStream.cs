namespace Vtls;

/// <summary>
/// A <see cref="Stream"/> over a <see cref="TlsConnection"/>, so that any backend drops in where
/// <c>SslStream</c> was used. <see cref="ShutdownAsync"/> is the graceful end; <see cref="Stream.Dispose()"/> is
/// close, which never notifies. A read returns 0 only after the peer's close_notify; a cut connection throws
/// <see cref="TlsException"/> (an <see cref="IOException"/>) with <see cref="TlsErrorKind.Truncated"/>.
/// </summary>
public sealed class TlsStream : Stream
{
    private readonly TlsConnection _connection;
    private bool _disposed;

    /// <summary>Wraps a connected <paramref name="connection"/>; the stream owns it.</summary>
    /// <param name="connection">The connection.</param>
    public TlsStream(TlsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <summary>The connection underneath.</summary>
    public TlsConnection Connection => _connection;

    /// <inheritdoc/>
    public override bool CanRead => !_disposed;

    /// <inheritdoc/>
    public override bool CanWrite => !_disposed;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanTimeout => true;

    /// <inheritdoc/>
    public override int ReadTimeout
    {
        get => ToMilliseconds(_connection.ReceiveTimeout);
        set => _connection.ReceiveTimeout = FromMilliseconds(value);
    }

    /// <inheritdoc/>
    public override int WriteTimeout
    {
        get => ToMilliseconds(_connection.SendTimeout);
        set => _connection.SendTimeout = FromMilliseconds(value);
    }

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Sends close_notify and waits for the peer's, within the shutdown budget.</summary>
    /// <param name="cancellationToken">Cancels the wait; the connection is then closed.</param>
    public Task ShutdownAsync(CancellationToken cancellationToken = default) =>
        _connection.ShutdownAsync(null, cancellationToken);

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return buffer.IsEmpty ? ValueTask.FromResult(0) : _connection.ReceiveAsync(buffer, cancellationToken);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _connection.SendAsync(buffer, cancellationToken);
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _connection.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int ToMilliseconds(TimeSpan t) =>
        t == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)t.TotalMilliseconds;

    private static TimeSpan FromMilliseconds(int ms) =>
        ms == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
}
