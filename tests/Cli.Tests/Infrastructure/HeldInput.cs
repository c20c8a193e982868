namespace Vtls.Tests.Infrastructure;

/// <summary>
/// Standard input that gives some bytes and then stays open (reads wait) until <see cref="End"/>, as a user who
/// types a line and presses Ctrl-D later.
/// </summary>
internal sealed class HeldInput : Stream
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _data;
    private int _offset;

    /// <summary>Creates the input.</summary>
    /// <param name="data">What the first reads return.</param>
    public HeldInput(byte[] data)
    {
        _data = data;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Ends the input: the pending and later reads return 0.</summary>
    public void End() => _ended.TrySetResult();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < _data.Length)
        {
            int n = Math.Min(buffer.Length, _data.Length - _offset);
            _data.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        await _ended.Task.WaitAsync(cancellationToken);
        return 0;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
