namespace Vtls;

/// <summary>How a non-blocking send or receive ended.</summary>
public enum IoStatus
{
    /// <summary>Bytes were moved; <see cref="IoResult.Count"/> says how many (at least one).</summary>
    Completed,

    /// <summary>
    /// Nothing can move now. The filter's <see cref="ConnectionFilter.Interest"/> says what it waits for.
    /// This is flow control, not an error.
    /// </summary>
    WouldBlock,

    /// <summary>
    /// The peer finished its side of the stream. For a TLS filter this is reported only after the
    /// peer's close_notify; a transport EOF without it is a <see cref="TlsErrorKind.Truncated"/> error.
    /// </summary>
    EndOfStream,
}

/// <summary>The outcome of a non-blocking send or receive: a status and a byte count.</summary>
/// <param name="Status">How the operation ended.</param>
/// <param name="Count">
/// Bytes moved; non-zero only when <paramref name="Status"/> is <see cref="IoStatus.Completed"/>.
/// </param>
public readonly record struct IoResult(IoStatus Status, int Count)
{
    /// <summary>The result that says "nothing can move now".</summary>
    public static IoResult WouldBlock => new(IoStatus.WouldBlock, 0);

    /// <summary>The result that says "the peer ended the stream cleanly".</summary>
    public static IoResult EndOfStream => new(IoStatus.EndOfStream, 0);

    /// <summary>Bytes moved.</summary>
    /// <param name="count">How many; must be positive.</param>
    public static IoResult Completed(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new IoResult(IoStatus.Completed, count);
    }

    /// <summary>Whether the operation could not proceed now.</summary>
    public bool IsWouldBlock => Status == IoStatus.WouldBlock;

    /// <summary>Whether the peer ended the stream cleanly.</summary>
    public bool IsEndOfStream => Status == IoStatus.EndOfStream;

    /// <inheritdoc/>
    public override string ToString() => Status == IoStatus.Completed ? $"{Count} bytes" : Status.ToString();
}

/// <summary>How a non-blocking connect or shutdown step ended.</summary>
public enum Progress
{
    /// <summary>The operation is complete.</summary>
    Done,

    /// <summary>
    /// The operation needs I/O that cannot happen now; call again when
    /// <see cref="ConnectionFilter.Interest"/> is satisfied.
    /// </summary>
    WouldBlock,
}

/// <summary>What a filter waits for before it can make progress (curl's <c>io_need</c>).</summary>
[Flags]
public enum IoInterest
{
    /// <summary>Nothing: the filter can proceed, or it is finished.</summary>
    None = 0,

    /// <summary>The transport must become readable.</summary>
    Read = 1,

    /// <summary>The transport must become writable.</summary>
    Write = 2,
}
