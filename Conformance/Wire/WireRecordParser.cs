namespace Vtls.Conformance.Wire;

/// <summary>
/// Reads TLS record headers out of one direction's byte stream, incrementally: a header may be split across TCP
/// reads, and one read may hold several records. It never buffers payloads, only the header bytes and a count of
/// payload bytes still to skip.
/// </summary>
internal sealed class WireRecordParser
{
    private readonly WireDirection _direction;
    private readonly byte[] _header = new byte[WireRecord.HeaderLength];
    private int _headerFilled;
    private long _payloadLeft;
    private long _offset;

    public WireRecordParser(WireDirection direction) => _direction = direction;

    /// <summary>Whether the stream position is inside a record (a partial header, or payload still expected).</summary>
    public bool IsInsideRecord => _headerFilled > 0 || _payloadLeft > 0;

    /// <summary>Consumes <paramref name="bytes"/>; returns every record whose header completed in them.</summary>
    public List<WireRecord> Feed(ReadOnlySpan<byte> bytes)
    {
        var completed = new List<WireRecord>();
        while (!bytes.IsEmpty)
        {
            if (_payloadLeft > 0)
            {
                int skip = (int)Math.Min(_payloadLeft, bytes.Length);
                _payloadLeft -= skip;
                _offset += skip;
                bytes = bytes[skip..];
                continue;
            }

            int take = Math.Min(WireRecord.HeaderLength - _headerFilled, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            _offset += take;
            bytes = bytes[take..];
            if (_headerFilled < WireRecord.HeaderLength)
            {
                continue;
            }

            int length = (_header[3] << 8) | _header[4];
            var record = new WireRecord(
                _direction,
                ContentType: _header[0],
                Version: (ushort)((_header[1] << 8) | _header[2]),
                Length: length,
                Offset: _offset - WireRecord.HeaderLength,
                Truncated: false);
            completed.Add(record);
            _headerFilled = 0;
            _payloadLeft = length;
        }

        return completed;
    }
}
