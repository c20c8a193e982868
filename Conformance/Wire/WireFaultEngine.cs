namespace Vtls.Conformance.Wire;

/// <summary>
/// Decides what to forward for one direction: splits the sender's bytes at record boundaries, applies the armed
/// <see cref="WireFault"/>s, and turns each chunk into <see cref="WireOutput"/> steps. Pure logic, no sockets, not
/// thread-safe (the pump serialises calls), so that every fault can be tested byte for byte.
/// </summary>
/// <remarks>
/// Without a fault, bytes are forwarded as they arrive, so the TCP segmentation the receiver sees follows the
/// sender's. A fault chosen for a record (at its first byte) holds that record whole, then acts on it.
/// </remarks>
internal sealed class WireFaultEngine
{
    // Records of at most this payload length end a coalescing hold: every alert (and close_notify) fits.
    private const int SmallRecordLength = 32;

    private readonly Queue<WireFault> _armed = new();
    private readonly byte[] _header = new byte[WireRecord.HeaderLength];
    private readonly MemoryStream _record = new();
    private readonly MemoryStream _coalesced = new();
    private readonly List<WireOutput> _out = [];
    private readonly MemoryStream _pendingWrite = new();
    private int _headerFilled;
    private int _payloadLeft;
    private bool _inRecord;
    private bool _holding;
    private WireFault? _recordFault;
    private MemoryStream? _appDataCopy;
    private byte[]? _lastAppData;

    /// <summary>Whether everything from now on is dropped (<see cref="WireFaultKind.Swallow"/>).</summary>
    public bool IsSwallowing { get; private set; }

    /// <summary>Whether forwarding ended: a FIN or a reset was sent in place of the sender's bytes.</summary>
    public bool IsForwardingEnded { get; private set; }

    /// <summary>Whether records are being held for <see cref="WireFaultKind.CoalesceUntilSmallRecord"/>.</summary>
    public bool IsCoalescing { get; private set; }

    /// <summary>Counts coalescing holds, so that a late flush timer can tell its hold from a newer one.</summary>
    public int CoalesceGeneration { get; private set; }

    /// <summary>Arms <paramref name="fault"/>; returns what must happen at once (a reset for ResetNow).</summary>
    public List<WireOutput> Arm(WireFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        switch (fault.Kind)
        {
            case WireFaultKind.Swallow:
                IsSwallowing = true;
                break;
            case WireFaultKind.ResetNow:
                IsForwardingEnded = true;
                _out.Add(WireOutput.Reset);
                break;
            default:
                _armed.Enqueue(fault);
                break;
        }

        return TakeOutput();
    }

    /// <summary>Feeds bytes the sender sent; returns the steps to perform toward the receiver, in order.</summary>
    public List<WireOutput> Process(ReadOnlySpan<byte> chunk)
    {
        if (IsSwallowing)
        {
            return [];
        }

        while (!chunk.IsEmpty && !IsForwardingEnded)
        {
            if (!_inRecord)
            {
                StartRecord();
            }

            int take = _headerFilled < WireRecord.HeaderLength
                ? Math.Min(WireRecord.HeaderLength - _headerFilled, chunk.Length)
                : Math.Min(_payloadLeft, chunk.Length);
            var piece = chunk[..take];
            chunk = chunk[take..];
            Consume(piece);
            if (_headerFilled < WireRecord.HeaderLength)
            {
                piece.CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                if (_headerFilled == WireRecord.HeaderLength)
                {
                    OnHeader();
                }
            }
            else
            {
                _payloadLeft -= take;
            }

            if (_headerFilled == WireRecord.HeaderLength && _payloadLeft == 0)
            {
                CompleteRecord();
            }
        }

        return TakeOutput();
    }

    /// <summary>
    /// The sender ended its stream with FIN: forward whatever is held (a cut record stays cut), then the FIN,
    /// unless forwarding already ended or the direction is swallowed.
    /// </summary>
    public List<WireOutput> EndOfStream()
    {
        if (!IsForwardingEnded && !IsSwallowing)
        {
            if (_holding)
            {
                Deliver(_record.ToArray(), isSmall: false);
            }

            FlushCoalesced();
            IsForwardingEnded = true;
            EmitFin();
        }

        return TakeOutput();
    }

    /// <summary>Ends coalescing hold number <paramref name="generation"/> if it is still on (the 2 s bound).</summary>
    public List<WireOutput> FlushCoalescedIfStill(int generation)
    {
        if (IsCoalescing && generation == CoalesceGeneration)
        {
            FlushCoalesced();
        }

        return TakeOutput();
    }

    private void StartRecord()
    {
        _inRecord = true;
        _headerFilled = 0;
        _payloadLeft = 0;
        _record.SetLength(0);
        if (_armed.TryPeek(out var next) && next.Kind == WireFaultKind.CoalesceUntilSmallRecord)
        {
            _armed.Dequeue();
            IsCoalescing = true;
            CoalesceGeneration++;
        }

        _recordFault = _armed.TryDequeue(out var fault) ? fault : null;
        _holding = _recordFault is not null || IsCoalescing;
    }

    private void OnHeader()
    {
        _payloadLeft = (_header[3] << 8) | _header[4];
        _appDataCopy = _header[0] == WireRecord.ApplicationData ? new MemoryStream() : null;
        _appDataCopy?.Write(_header);
    }

    private void Consume(ReadOnlySpan<byte> piece)
    {
        if (_headerFilled == WireRecord.HeaderLength)
        {
            // The header is copied in OnHeader; only payload bytes go here.
            _appDataCopy?.Write(piece);
        }

        if (_holding)
        {
            _record.Write(piece);
        }
        else
        {
            EmitBytes(piece);
        }
    }

    private void CompleteRecord()
    {
        int length = (_header[3] << 8) | _header[4];
        bool isSmall = length <= SmallRecordLength;
        if (_holding)
        {
            Apply(_recordFault, _record.ToArray(), length, isSmall);
        }

        if (_appDataCopy is not null)
        {
            // Updated after the fault acted, so a replay sends the record BEFORE the one it followed.
            _lastAppData = _appDataCopy.ToArray();
            _appDataCopy = null;
        }

        _inRecord = false;
        _holding = false;
        _recordFault = null;
    }

    private void Apply(WireFault? fault, byte[] record, int payloadLength, bool isSmall)
    {
        switch (fault?.Kind)
        {
            case null:
                Deliver(record, isSmall);
                break;
            case WireFaultKind.FinInsteadOfNextRecord:
                FlushCoalesced();
                EndWithFin();
                break;
            case WireFaultKind.FinInsideNextRecord:
                int keep = fault.Bytes > 0
                    ? Math.Min(fault.Bytes, record.Length)
                    : WireRecord.HeaderLength + (payloadLength / 2);
                Deliver(record[..keep], isSmall: false);
                FlushCoalesced();
                EndWithFin();
                break;
            case WireFaultKind.ResetOnNextRecord:
                IsForwardingEnded = true;
                FlushPendingWrite();
                _out.Add(WireOutput.Reset);
                break;
            case WireFaultKind.ReplayAfterNextRecord:
                Deliver(record, isSmall);
                if (_lastAppData is not null)
                {
                    Deliver(_lastAppData, isSmall: false);
                }

                break;
            case WireFaultKind.CorruptNextRecord:
                if (payloadLength > 0)
                {
                    record[^1] ^= 0x01;
                }

                Deliver(record, isSmall);
                break;
            default:
                Deliver(record, isSmall);
                break;
        }
    }

    private void Deliver(byte[] bytes, bool isSmall)
    {
        if (!IsCoalescing)
        {
            EmitBytes(bytes);
            return;
        }

        _coalesced.Write(bytes);
        if (isSmall)
        {
            FlushCoalesced();
        }
    }

    private void FlushCoalesced()
    {
        if (!IsCoalescing)
        {
            return;
        }

        IsCoalescing = false;
        if (_coalesced.Length > 0)
        {
            // Its own write, so that everything held leaves in ONE send.
            FlushPendingWrite();
            _out.Add(WireOutput.Write(_coalesced.ToArray()));
            _coalesced.SetLength(0);
        }
    }

    private void EndWithFin()
    {
        IsForwardingEnded = true;
        EmitFin();
    }

    private void EmitBytes(ReadOnlySpan<byte> bytes)
    {
        if (!IsSwallowing)
        {
            _pendingWrite.Write(bytes);
        }
    }

    private void EmitFin()
    {
        FlushPendingWrite();
        _out.Add(WireOutput.Fin);
    }

    private void FlushPendingWrite()
    {
        if (_pendingWrite.Length > 0)
        {
            _out.Add(WireOutput.Write(_pendingWrite.ToArray()));
            _pendingWrite.SetLength(0);
        }
    }

    private List<WireOutput> TakeOutput()
    {
        FlushPendingWrite();
        if (IsSwallowing)
        {
            // Swallowed bytes and FINs never reach the receiver; a reset still does.
            _out.RemoveAll(o => o.Kind != WireOutputKind.Reset);
        }

        var steps = new List<WireOutput>(_out);
        _out.Clear();
        return steps;
    }
}
