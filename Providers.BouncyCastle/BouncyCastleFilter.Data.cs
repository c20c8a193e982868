namespace Vtls.Providers.BouncyCastle;

/// <summary>Application data: send and receive.</summary>
internal sealed partial class BouncyCastleFilter
{
    // One record's worth per call keeps our send queue bounded: a caller learns about would-block after at most
    // one record, instead of us buffering everything it hands over.
    private const int MaxPlaintextPerSend = 1 << 14;

    /// <inheritdoc/>
    /// <remarks>
    /// The bytes count as taken once encrypted; ciphertext the filter below refuses waits in our queue and leaves
    /// on the next call or on <see cref="ConnectionFilter.Flush"/> (<see cref="ConnectionFilter.HasPendingOutput"/>
    /// says so). A new chunk is taken only when the queue is empty, which keeps it to one record.
    /// </remarks>
    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        var protocol = _protocol!;
        CollectOutput(protocol);
        if (!FlushOutput())
        {
            Interest = IoInterest.Write;
            return IoResult.WouldBlock;
        }

        int count = Math.Min(data.Length, MaxPlaintextPerSend);
        try
        {
            protocol.Protocol.WriteApplicationData(data[..count]);
        }
        catch (IOException e) when (e is not TlsException)
        {
            throw Failure(e);
        }

        CollectOutput(protocol);
        Interest = FlushOutput() ? IoInterest.None : IoInterest.Write;
        return IoResult.Completed(count);
    }

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        var protocol = _protocol!;
        _readThisCall = 0;
        CollectOutput(protocol);
        bool flushed = FlushOutput();
        while (true)
        {
            int taken = TakeInput(protocol, buffer);
            if (taken > 0)
            {
                return IoResult.Completed(taken);
            }

            // RFC 8446, 6.1: after close_notify, "Any data received after a closure alert has been received MUST
            // be ignored"; BouncyCastle stops processing records there, and we stop reading.
            // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
            if (IsCloseNotifyReceived)
            {
                _endOfStreamReported = true;
                Interest = IoInterest.None;
                return IoResult.EndOfStream;
            }

            var read = ReadTransport();
            if (read.IsWouldBlock)
            {
                Interest = flushed ? IoInterest.Read : IoInterest.Read | IoInterest.Write;
                return IoResult.WouldBlock;
            }

            if (read.IsEndOfStream)
            {
                throw TransportEnded(protocol, "during receive");
            }

            OfferRecords(protocol);
            flushed = FlushOutput();
        }
    }

    private static int TakeInput(Protocol.IVtlsProtocol protocol, Span<byte> buffer)
    {
        int available = protocol.Protocol.GetAvailableInputBytes();
        if (available == 0)
        {
            return 0;
        }

        // ReadInput wants an array; a pooled one avoids an allocation per call.
        int count = Math.Min(available, buffer.Length);
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(count);
        try
        {
            int taken = protocol.Protocol.ReadInput(rented, 0, count);
            rented.AsSpan(0, taken).CopyTo(buffer);
            return taken;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
