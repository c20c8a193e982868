using Vtls.Providers.BouncyCastle.Protocol;

namespace Vtls.Providers.BouncyCastle;

/// <summary>The pump between BouncyCastle's queues and the filter below.</summary>
internal sealed partial class BouncyCastleFilter
{
    // One TLS record at most: 2^14 bytes of plaintext plus 256 of expansion, and the 5-byte header.
    private const int TransportChunk = (1 << 14) + 256 + 5;

    private readonly byte[] _transportBuffer = new byte[TransportChunk];
    private byte[] _pending = new byte[TransportChunk];
    private int _pendingStart;
    private int _pendingEnd;

    // Set once our close_notify is in the send queue; BouncyCastle output after it is dropped.
    // RFC 8446, 6.1: "close_notify: This alert notifies the recipient that the sender will not send any more
    // messages on this connection."
    // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
    private bool _outputSealed;

    private bool HasPendingOutput => _pendingEnd > _pendingStart;

    private IoResult ReadTransport() => Next!.Receive(_transportBuffer);

    private void Offer(IVtlsProtocol protocol, int count)
    {
        try
        {
            protocol.Protocol.OfferInput(_transportBuffer, 0, count);
        }
        catch (IOException e) when (e is not TlsException)
        {
            throw Failure(e);
        }

        CollectOutput(protocol);
    }

    /// <summary>
    /// Moves what BouncyCastle wrote into our send queue, except an automatic close_notify answer that waits for
    /// shutdown, and except anything after our own close_notify.
    /// </summary>
    private void CollectOutput(IVtlsProtocol protocol)
    {
        var tls = protocol.Protocol;
        int available = tls.GetAvailableOutputBytes();
        if (available == 0)
        {
            return;
        }

        if (_outputSealed)
        {
            DiscardProtocolOutput(protocol, available);
            return;
        }

        var gate = protocol.Gate;
        int movable = Math.Min(available, gate.HeldAnswerOffset ?? available);
        if (movable > 0)
        {
            EnsurePendingSpace(movable);
            _pendingEnd += tls.ReadOutput(_pending, _pendingEnd, movable);
        }

        if (gate.IsHoldingAnswer)
        {
            gate.AnswerMovedToHead();
        }

        if (gate.IsOwnCloseNotifyWritten)
        {
            _outputSealed = true;
        }
    }

    /// <summary>Hands queued bytes to the filter below, resuming after partial writes.</summary>
    /// <returns>Whether the queue is empty.</returns>
    private bool FlushOutput()
    {
        while (HasPendingOutput)
        {
            var sent = Next!.Send(_pending.AsSpan(_pendingStart, _pendingEnd - _pendingStart));
            if (sent.IsWouldBlock)
            {
                return false;
            }

            _pendingStart += sent.Count;
        }

        _pendingStart = 0;
        _pendingEnd = 0;
        if (_outputSealed && !IsCloseNotifySent)
        {
            // Sealing happens when our close_notify is collected, so a full flush after it put it on the wire.
            IsCloseNotifySent = true;
            BouncyCastleLog.CloseNotifySent(Logger, Name);
        }

        return true;
    }

    private void DropPendingOutput()
    {
        _pendingStart = 0;
        _pendingEnd = 0;
    }

    private void EnsurePendingSpace(int count)
    {
        if (_pendingStart > 0)
        {
            Buffer.BlockCopy(_pending, _pendingStart, _pending, 0, _pendingEnd - _pendingStart);
            _pendingEnd -= _pendingStart;
            _pendingStart = 0;
        }

        if (_pending.Length - _pendingEnd < count)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingEnd + count));
        }
    }

    private void DiscardProtocolOutput(IVtlsProtocol protocol, int available)
    {
        var sink = new byte[Math.Min(available, TransportChunk)];
        while (available > 0)
        {
            available -= protocol.Protocol.ReadOutput(sink, 0, Math.Min(available, sink.Length));
        }
    }
}
