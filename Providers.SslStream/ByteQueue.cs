namespace Vtls.Providers.SslStream;

/// <summary>
/// A first-in first-out byte buffer that grows as needed and reuses its space: the storage behind each
/// direction of <see cref="MemoryBioStream"/>.
/// </summary>
internal sealed class ByteQueue
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    public ByteQueue(int initialCapacity) => _buffer = new byte[initialCapacity];

    /// <summary>How many bytes are queued.</summary>
    public int Count => _end - _start;

    /// <summary>The queued bytes, oldest first; valid until the next change.</summary>
    public ReadOnlySpan<byte> Peek() => _buffer.AsSpan(_start, Count);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        MakeRoom(data.Length);
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Copies up to <paramref name="destination"/>'s length out of the queue.</summary>
    /// <returns>How many bytes were copied.</returns>
    public int Take(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, Count);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        Consume(count);
        return count;
    }

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    public void Clear()
    {
        _start = 0;
        _end = 0;
    }

    private void MakeRoom(int extra)
    {
        if (_buffer.Length - _end >= extra)
        {
            return;
        }

        int needed = Count + extra;
        if (needed <= _buffer.Length)
        {
            // Enough space overall: slide the live bytes to the front instead of growing.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Count);
        }
        else
        {
            var larger = new byte[Math.Max(needed, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _start, larger, 0, Count);
            _buffer = larger;
        }

        _end = Count;
        _start = 0;
    }
}
