namespace Vtls.Providers.SslStream;

/// <summary>
/// Send: SslStream encrypts into the memory stream's queue (its write completes at once), and the queue drains
/// to the filter below as fast as that takes it.
/// </summary>
/// <remarks>
/// FACTS: a synchronous SslStream write on a non-blocking socket can fail part-way and corrupt the stream, so
/// SslStream never writes to a socket here; only <see cref="FlushOutbound"/> does, through the filter below,
/// which may take part of the bytes or none.
/// </remarks>
public sealed partial class SslStreamFilter
{
    // Past this much queued ciphertext, send takes nothing more: memory stays bounded when the peer reads
    // slower than the application writes.
    private const int OutboundHighWater = 64 * 1024;

    // Plaintext taken per call: two full records.
    private const int MaxPlaintextPerSend = 32 * 1024;

    private readonly byte[] _sendBuffer = new byte[MaxPlaintextPerSend];
    private ValueTask _write;
    private bool _writeOutstanding;

    /// <inheritdoc/>
    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            // Copied here because the step below cannot hold a span. The buffer is busy only while SslStream
            // still holds an earlier chunk, which never happens over the memory stream (see SendChunk).
            int count = 0;
            if (!_writeOutstanding)
            {
                count = Math.Min(data.Length, MaxPlaintextPerSend);
                data[..count].CopyTo(_sendBuffer);
            }

            return Step(() => SendChunk(count));
        }
    }

    private IoResult SendChunk(int count)
    {
        FlushOutbound();
        if (_writeOutstanding && !CompleteWrite())
        {
            Interest = PendingInterest();
            return IoResult.WouldBlock;
        }

        // Queue full, or the earlier chunk just finished and this call's bytes were not copied: try again.
        if (_bio.OutboundCount >= OutboundHighWater || count == 0)
        {
            Interest = IoInterest.Write;
            return IoResult.WouldBlock;
        }

        try
        {
            _write = _ssl.WriteAsync(_sendBuffer.AsMemory(0, count));
            _writeOutstanding = true;
        }
        catch (Exception e) when (e is not TlsException)
        {
            throw WriteFailed(e, "during send");
        }

        // Over the memory stream the write completes at once. Should SslStream ever wait inside it (for a
        // renegotiation, say), the bytes are still taken: they sit in _sendBuffer, and later sends wait.
        CompleteWrite();
        FlushOutbound();
        Interest = IoInterest.None;
        return IoResult.Completed(count);
    }

    /// <returns>Whether no write is outstanding any more.</returns>
    private bool CompleteWrite()
    {
        if (!_write.IsCompleted)
        {
            return false;
        }

        _writeOutstanding = false;
        try
        {
            _write.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not TlsException)
        {
            throw WriteFailed(e, "during send");
        }

        return true;
    }
}
