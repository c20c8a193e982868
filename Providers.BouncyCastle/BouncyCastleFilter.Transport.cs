using Vtls.Providers.BouncyCastle.Protocol;

namespace Vtls.Providers.BouncyCastle;

/// <summary>The pump between BouncyCastle's queues and the filter below.</summary>
internal sealed partial class BouncyCastleFilter
{
    private const int RecordHeaderLength = 5;

    // RFC 5246, 6.2.3: "The length (in bytes) of the following TLSCiphertext.fragment. The length MUST NOT
    // exceed 2^14 + 2048." (TLS 1.3 allows less: 2^14 + 256.)
    // https://www.rfc-editor.org/rfc/rfc5246#section-6.2.3
    private const int MaxRecordPayload = (1 << 14) + 2048;

    // One TLS record at most: 2^14 bytes of plaintext plus 256 of expansion, and the 5-byte header.
    private const int TransportChunk = (1 << 14) + 256 + RecordHeaderLength;

    // The most one connect, receive or shutdown call reads from the filter below (see ReadTransport).
    private const int MaxReadPerCall = 256 * 1024;

    private byte[] _inbox = new byte[2 * TransportChunk];
    private int _readThisCall;
    private int _inboxStart;
    private int _inboxEnd;
    private byte[] _pending = new byte[TransportChunk];
    private int _pendingStart;
    private int _pendingEnd;

    // Set once our close_notify is in the send queue; BouncyCastle output after it is dropped.
    // RFC 8446, 6.1: "close_notify: This alert notifies the recipient that the sender will not send any more
    // messages on this connection."
    // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
    private bool _outputSealed;

    /// <inheritdoc/>
    public override bool HasPendingOutput => HasQueuedOutput || base.HasPendingOutput;

    private bool HasQueuedOutput => _pendingEnd > _pendingStart;

    /// <inheritdoc/>
    protected override Progress FlushCore()
    {
        if (_protocol is { } protocol)
        {
            CollectOutput(protocol);
        }

        if (FlushOutput())
        {
            return Progress.Done;
        }

        Interest = IoInterest.Write;
        return Progress.WouldBlock;
    }

    /// <summary>
    /// Reads once from the filter below into the inbox, up to one record's worth; reports would-block once this
    /// call has read <see cref="MaxReadPerCall"/> bytes.
    /// </summary>
    /// <remarks>
    /// A peer that never stops sending (a flood of warning alerts mid-handshake, data during shutdown) would
    /// otherwise keep one non-blocking call busy for as long as it likes, and no driver could enforce its time
    /// budget. What is left stays in the kernel, so the transport is still readable and the driver returns at once,
    /// after checking its budget.
    /// </remarks>
    private IoResult ReadTransport()
    {
        if (_readThisCall >= MaxReadPerCall)
        {
            return IoResult.WouldBlock;
        }

        EnsureInboxSpace(TransportChunk);
        var read = Next!.Receive(_inbox.AsSpan(_inboxEnd, TransportChunk));
        if (read.Status == IoStatus.Completed)
        {
            _inboxEnd += read.Count;
            _readThisCall += read.Count;
        }

        return read;
    }

    /// <summary>
    /// Offers the complete records in the inbox to the protocol one at a time, and stops at the peer's
    /// close_notify: what follows it is dropped unseen.
    /// </summary>
    /// <remarks>
    /// RFC 8446, 6.1: "Any data received after a closure alert has been received MUST be ignored."
    /// https://www.rfc-editor.org/rfc/rfc8446#section-6.1
    /// BouncyCastle would process every record of a chunk it is given; one record per call lets us stop exactly
    /// at the alert, without closing the protocol (which would end our direction too).
    /// </remarks>
    private void OfferRecords(IVtlsProtocol protocol)
    {
        while (!IsCloseNotifyReceived && CheckRecordHeader() && NextRecordLength() is int length)
        {
            try
            {
                protocol.Protocol.OfferInput(_inbox, _inboxStart, length);
            }
            catch (IOException e) when (e is not TlsException)
            {
                throw Failure(e);
            }

            _inboxStart += length;
            CollectOutput(protocol);
        }

        if (IsCloseNotifyReceived)
        {
            _inboxStart = _inboxEnd;
        }

        if (_inboxStart == _inboxEnd)
        {
            _inboxStart = 0;
            _inboxEnd = 0;
        }
    }

    /// <summary>The length of the first complete record in the inbox, header included, or null.</summary>
    private int? NextRecordLength()
    {
        int available = _inboxEnd - _inboxStart;
        if (available < RecordHeaderLength)
        {
            return null;
        }

        int payload = (_inbox[_inboxStart + 3] << 8) | _inbox[_inboxStart + 4];
        if (payload > MaxRecordPayload)
        {
            // Too long for any TLS record: the header alone lets BouncyCastle reject it (record_overflow).
            return RecordHeaderLength;
        }

        int total = RecordHeaderLength + payload;
        return available >= total ? total : null;
    }

    private bool HasCompleteRecord => NextRecordLength() is not null;

    /// <summary>
    /// Fails at once if the bytes at the head of the inbox cannot start a TLS record, instead of waiting for the
    /// length a peer that does not speak TLS seems to announce ("GET /" reads as 12,064 bytes).
    /// </summary>
    /// <returns>Always true, so it can guard the record loop.</returns>
    private bool CheckRecordHeader()
    {
        // RFC 8446, 5.1: "ContentType type; ... invalid(0), change_cipher_spec(20), alert(21), handshake(22),
        // application_data(23), heartbeat(24)"; RFC 5246, 6.2.1: "ProtocolVersion version;" whose major is 3.
        // https://www.rfc-editor.org/rfc/rfc8446#section-5.1
        int available = _inboxEnd - _inboxStart;
        byte type = available > 0 ? _inbox[_inboxStart] : (byte)20;
        byte major = available > 1 ? _inbox[_inboxStart + 1] : (byte)3;
        if (type is >= 20 and <= 24 && major == 3)
        {
            return true;
        }

        throw NotTls(_inbox.AsSpan(_inboxStart, Math.Min(available, RecordHeaderLength)));
    }

    private void EnsureInboxSpace(int count)
    {
        if (_inboxStart > 0)
        {
            Buffer.BlockCopy(_inbox, _inboxStart, _inbox, 0, _inboxEnd - _inboxStart);
            _inboxEnd -= _inboxStart;
            _inboxStart = 0;
        }

        if (_inbox.Length - _inboxEnd < count)
        {
            Array.Resize(ref _inbox, Math.Max(_inbox.Length * 2, _inboxEnd + count));
        }
    }

    /// <summary>
    /// Moves what BouncyCastle wrote into our send queue, except anything after our own close_notify.
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

        EnsurePendingSpace(available);
        _pendingEnd += tls.ReadOutput(_pending, _pendingEnd, available);
        _outputSealed = protocol.IsCloseNotifyWritten;
    }

    /// <summary>Hands queued bytes to the filter below, resuming after partial writes.</summary>
    /// <returns>Whether the queue is empty.</returns>
    private bool FlushOutput()
    {
        while (HasQueuedOutput)
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
