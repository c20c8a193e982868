namespace Vtls.Conformance.Wire;

/// <summary>
/// What crossed the recorder in one direction: the TLS records, the byte count, and how the sender ended its
/// stream. Thread-safe: the recorder appends while tests read snapshots.
/// </summary>
public sealed class WireDirectionLog
{
    private readonly object _gate = new();
    private readonly List<WireRecord> _records = [];
    private readonly WireRecordParser _parser;
    private long _byteCount;
    private StreamEnd _end;
    private bool _finSeen;
    private bool _endedInsideRecord;
    private TaskCompletionSource _changed = NewSignal();

    internal WireDirectionLog(WireDirection direction)
    {
        Direction = direction;
        _parser = new WireRecordParser(direction);
    }

    /// <summary>The direction this log covers.</summary>
    public WireDirection Direction { get; }

    /// <summary>A snapshot of the records seen so far (the last one may still be arriving).</summary>
    public IReadOnlyList<WireRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    /// <summary>Bytes received from the sender so far (forwarded or not).</summary>
    public long ByteCount
    {
        get
        {
            lock (_gate)
            {
                return _byteCount;
            }
        }
    }

    /// <summary>
    /// How the sending side ended its stream toward the recorder: FIN, RST, or still open. A RST seen after a FIN
    /// (for example a close with unread data after a half-close) makes this <see cref="StreamEnd.Reset"/>: any RST
    /// is what a "no RST" scenario must catch.
    /// </summary>
    public StreamEnd End
    {
        get
        {
            lock (_gate)
            {
                return _end;
            }
        }
    }

    /// <summary>Whether the stream ended (FIN or RST) part-way through a record.</summary>
    public bool EndedInsideRecord
    {
        get
        {
            lock (_gate)
            {
                return _endedInsideRecord;
            }
        }
    }

    /// <summary>Whether the sender's FIN was seen (even if a RST followed it).</summary>
    public bool IsFinSeen
    {
        get
        {
            lock (_gate)
            {
                return _finSeen;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (_gate)
        {
            var summary = string.Join(
                " ",
                _records.Select(r => $"{r.ContentType}:{r.Length}{(r.Truncated ? "!" : "")}"));
            return $"{Direction}: {_byteCount} bytes, end {_end}, records [{summary}]";
        }
    }

    /// <summary>Feeds bytes read from the sender; returns the records whose header completed in them.</summary>
    internal IReadOnlyList<WireRecord> Append(ReadOnlySpan<byte> bytes)
    {
        List<WireRecord> added;
        TaskCompletionSource signal;
        lock (_gate)
        {
            _byteCount += bytes.Length;
            added = _parser.Feed(bytes);
            _records.AddRange(added);
            signal = SwapSignal();
        }

        signal.TrySetResult();
        return added;
    }

    /// <summary>
    /// Notes how the sender ended its stream. A FIN counts only while the stream is open; a RST always wins, even
    /// after a FIN.
    /// </summary>
    internal void MarkEnded(StreamEnd end)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (end == StreamEnd.Open || _end == StreamEnd.Reset || _end == end)
            {
                return;
            }

            _finSeen |= end == StreamEnd.Fin;
            if (_end == StreamEnd.Open)
            {
                MarkCutRecord();
            }

            _end = end;
            signal = SwapSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>A task that completes at the next change (new bytes or the end of the stream).</summary>
    internal Task NextChange()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    /// <summary>The record at <paramref name="index"/> if it exists, and whether the stream has ended.</summary>
    internal (WireRecord? Record, bool Ended) TryGet(int index)
    {
        lock (_gate)
        {
            return (index < _records.Count ? _records[index] : null, _end != StreamEnd.Open);
        }
    }

    private void MarkCutRecord()
    {
        _endedInsideRecord = _parser.IsInsideRecord;
        if (!_endedInsideRecord || _records.Count == 0)
        {
            return;
        }

        // The header of the record being cut is already logged when the cut falls inside its payload.
        int last = _records.Count - 1;
        if (_records[last].EndOffset > _byteCount)
        {
            _records[last] = _records[last] with { Truncated = true };
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskCompletionSource SwapSignal()
    {
        var old = _changed;
        _changed = NewSignal();
        return old;
    }
}
