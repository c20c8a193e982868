namespace Vtls.Conformance.Transport;

/// <summary>
/// The shared state of a <see cref="MemoryTransport"/> pair: one bounded byte buffer per direction, how each
/// writer ended (FIN or reset), and one change signal that wakes every waiter. All access goes through one lock;
/// the ends are driven from different threads in tests.
/// </summary>
internal sealed class MemoryPipe
{
    private readonly Direction[] _directions;
    private TaskCompletionSource _changed = NewSignal();

    public MemoryPipe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _directions = [new Direction(capacity), new Direction(capacity)];
    }

    public object Gate { get; } = new();

    /// <summary>The direction end <paramref name="side"/> writes into.</summary>
    public Direction Outgoing(int side) => _directions[side];

    /// <summary>The direction end <paramref name="side"/> reads from.</summary>
    public Direction Incoming(int side) => _directions[1 - side];

    /// <summary>A task that completes at the next change; take it under <see cref="Gate"/>, then check.</summary>
    public Task NextChange() => _changed.Task;

    /// <summary>Wakes every waiter; call under <see cref="Gate"/> after changing state.</summary>
    public void SignalChanged()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One direction: bytes in flight, and how its writer and reader ended.</summary>
    internal sealed class Direction(int capacity)
    {
        private readonly byte[] _ring = new byte[capacity];
        private int _start;

        public int Count { get; private set; }

        public int Free => _ring.Length - Count;

        /// <summary>The writer sent FIN: once the bytes are read, the reader sees end of stream.</summary>
        public bool IsFinished { get; set; }

        /// <summary>The writer's end was reset: the reader's next operation fails.</summary>
        public bool IsReset { get; set; }

        /// <summary>The reader's end is closed: a write into it gets a reset (as TCP answers with RST).</summary>
        public bool IsReaderClosed { get; set; }

        public int Write(ReadOnlySpan<byte> data)
        {
            int n = Math.Min(data.Length, Free);
            for (int i = 0; i < n; i++)
            {
                _ring[(_start + Count + i) % _ring.Length] = data[i];
            }

            Count += n;
            return n;
        }

        public int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, Count);
            for (int i = 0; i < n; i++)
            {
                buffer[i] = _ring[(_start + i) % _ring.Length];
            }

            _start = (_start + n) % _ring.Length;
            Count -= n;
            return n;
        }
    }
}
