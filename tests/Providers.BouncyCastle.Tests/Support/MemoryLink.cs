namespace Vtls.Tests.Support;

/// <summary>
/// Two bottom filters joined in memory, like a TCP connection: what one sends the other receives. Each end can
/// inject would-block, small partial writes, a FIN or a reset, and records every byte it sent.
/// </summary>
internal sealed class MemoryLink
{
    private MemoryLink()
    {
        A = new MemoryEnd("memory:a");
        B = new MemoryEnd("memory:b");
        A.Peer = B;
        B.Peer = A;
    }

    /// <summary>The first end (give it to the client).</summary>
    public MemoryEnd A { get; }

    /// <summary>The second end (give it to the server).</summary>
    public MemoryEnd B { get; }

    public static MemoryLink Create() => new();
}

/// <summary>One end of a <see cref="MemoryLink"/>.</summary>
internal sealed class MemoryEnd : ConnectionFilter
{
    private const int Capacity = 4 << 20;
    private readonly Queue<byte> _inbound = new();
    private readonly List<byte> _sent = [];
    private bool _finReceived;
    private bool _resetReceived;
    private int _calls;

    public MemoryEnd(string name)
        : base(name, null, null)
    {
        IsConnected = true;
    }

    public MemoryEnd Peer { get; set; } = null!;

    /// <summary>Every byte this end sent, in order.</summary>
    public byte[] Sent => _sent.ToArray();

    /// <summary>Every other send and receive reports would-block first.</summary>
    public bool WouldBlockEveryOtherCall { get; set; }

    /// <summary>The most bytes one send takes (1 for one-byte partial writes).</summary>
    public int MaxSendBytes { get; set; } = int.MaxValue;

    /// <summary>Sends refuse everything (a full socket buffer) while set.</summary>
    public bool SendBlocked { get; set; }

    /// <summary>Whether this end sent a FIN (shut down or closed).</summary>
    public bool FinSent { get; private set; }

    public int InboundCount => _inbound.Count;

    public override bool HasBufferedInput => false;

    /// <summary>Delivers bytes to this end as if the peer had sent them (for hand-made records).</summary>
    public void Inject(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _inbound.Enqueue(b);
        }
    }

    /// <summary>Drops the last <paramref name="count"/> bytes that arrived and were not read yet.</summary>
    public void DropLastInbound(int count)
    {
        var kept = _inbound.Take(_inbound.Count - count).ToArray();
        _inbound.Clear();
        Inject(kept);
    }

    /// <summary>Flips one bit of an inbound byte not read yet, counted from the end.</summary>
    public void CorruptInbound(int fromEnd)
    {
        var bytes = _inbound.ToArray();
        bytes[^fromEnd] ^= 0x01;
        _inbound.Clear();
        Inject(bytes);
    }

    /// <summary>Sends a FIN to the peer without any TLS.</summary>
    public void SendFin()
    {
        FinSent = true;
        Peer._finReceived = true;
    }

    /// <summary>Makes the peer's next operations fail as reset.</summary>
    public void SendReset() => Peer._resetReceived = true;

    public override ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    protected override Progress ConnectCore() => Progress.Done;

    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        ThrowIfReset("send");
        if (SendBlocked || InjectWouldBlock() || Peer._inbound.Count >= Capacity)
        {
            Interest = IoInterest.Write;
            return IoResult.WouldBlock;
        }

        int count = Math.Min(data.Length, MaxSendBytes);
        var taken = data[..count];
        _sent.AddRange(taken.ToArray());
        Peer.Inject(taken);
        return IoResult.Completed(count);
    }

    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        ThrowIfReset("receive");
        if (InjectWouldBlock())
        {
            Interest = IoInterest.Read;
            return IoResult.WouldBlock;
        }

        if (_inbound.Count == 0)
        {
            if (_finReceived)
            {
                return IoResult.EndOfStream;
            }

            Interest = IoInterest.Read;
            return IoResult.WouldBlock;
        }

        int count = Math.Min(buffer.Length, _inbound.Count);
        for (int i = 0; i < count; i++)
        {
            buffer[i] = _inbound.Dequeue();
        }

        return IoResult.Completed(count);
    }

    protected override Progress ShutdownCore()
    {
        SendFin();
        return Progress.Done;
    }

    protected override void CloseCore()
    {
        if (!FinSent)
        {
            SendFin();
        }
    }

    private bool InjectWouldBlock() => WouldBlockEveryOtherCall && (_calls++ % 2 == 0);

    private void ThrowIfReset(string operation)
    {
        if (_resetReceived)
        {
            throw new TlsException(TlsErrorKind.TransportReset, $"The connection was reset during {operation}.");
        }
    }
}
