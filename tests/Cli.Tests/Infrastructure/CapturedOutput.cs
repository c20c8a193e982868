using System.Text;

namespace Vtls.Tests.Infrastructure;

/// <summary>A thread-safe, write-only stream that keeps what a command writes to standard output.</summary>
internal sealed class CapturedOutput : Stream
{
    private readonly MemoryStream _bytes = new();

    /// <summary>Everything written so far.</summary>
    public byte[] Bytes
    {
        get
        {
            lock (_bytes)
            {
                return _bytes.ToArray();
            }
        }
    }

    /// <summary>Everything written so far, as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Waits until the output holds <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="timeout">How long to wait at most.</param>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Text.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' did not appear on stdout within {timeout}; got '{Text}'.");
            }

            await Task.Delay(20);
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_bytes)
        {
            _bytes.Write(buffer, offset, count);
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_bytes)
        {
            _bytes.Write(buffer.Span);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
