namespace Vtls.Tests.Support;

/// <summary>One TLS record seen on the wire: its content type and payload length.</summary>
internal readonly record struct TapRecord(byte ContentType, int Length)
{
    public const byte Alert = 21;
    public const byte ApplicationData = 23;
}

/// <summary>
/// Sits between a TLS filter and the transport, records what the TLS filter sends (as bytes and as records),
/// and can hold the bytes back instead of sending them, so a test can cut, corrupt or reorder them.
/// </summary>
internal sealed class WireTap : PassThroughFilter
{
    private readonly List<byte> _pending = [];
    private readonly MemoryStream _held = new();
    private readonly List<TapRecord> _sent = [];

    public WireTap(ConnectionFilter next)
        : base("tap", next)
    {
    }

    /// <summary>The filter below the tap.</summary>
    public ConnectionFilter Transport => Next!;

    /// <summary>When true, sent bytes are kept in <see cref="TakeHeld"/> instead of reaching the transport.</summary>
    public bool Hold { get; set; }

    /// <summary>Bytes the transport accepted (or the tap held).</summary>
    public long SentBytes { get; private set; }

    /// <summary>Complete records sent so far, in order.</summary>
    public IReadOnlyList<TapRecord> SentRecords => _sent;

    /// <summary>The bytes held back since the last call.</summary>
    public byte[] TakeHeld()
    {
        var bytes = _held.ToArray();
        _held.SetLength(0);
        return bytes;
    }

    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        IoResult result;
        if (Hold)
        {
            _held.Write(data);
            result = IoResult.Completed(data.Length);
        }
        else
        {
            result = Track(Next!.Send(data));
        }

        if (result.Status == IoStatus.Completed)
        {
            SentBytes += result.Count;
            Parse(data[..result.Count]);
        }

        return result;
    }

    private void Parse(ReadOnlySpan<byte> bytes)
    {
        _pending.AddRange(bytes.ToArray());
        while (_pending.Count >= 5)
        {
            int length = (_pending[3] << 8) | _pending[4];
            if (_pending.Count < 5 + length)
            {
                return;
            }

            _sent.Add(new TapRecord(_pending[0], length));
            _pending.RemoveRange(0, 5 + length);
        }
    }
}
