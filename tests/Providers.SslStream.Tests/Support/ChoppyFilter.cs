namespace Vtls.Tests.Support;

/// <summary>
/// A hostile transport: every other call reports would-block, and the rest move at most
/// <see cref="MaxBytes"/> bytes, so a filter above must resume after would-block and partial writes.
/// </summary>
internal sealed class ChoppyFilter : PassThroughFilter
{
    private int _calls;

    public ChoppyFilter(ConnectionFilter next, int maxBytes = 1)
        : base("choppy", next)
    {
        MaxBytes = maxBytes;
    }

    public int MaxBytes { get; }

    public bool ChopSends { get; set; } = true;

    public bool ChopReceives { get; set; } = true;

    public int WouldBlocks { get; private set; }

    public int PartialSends { get; private set; }

    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        if (!ChopSends)
        {
            return base.SendCore(data);
        }

        if (++_calls % 2 == 0)
        {
            WouldBlocks++;
            Interest = IoInterest.Write;
            return IoResult.WouldBlock;
        }

        if (data.Length > MaxBytes)
        {
            PartialSends++;
        }

        return Track(Next!.Send(data[..Math.Min(data.Length, MaxBytes)]));
    }

    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        if (!ChopReceives)
        {
            return base.ReceiveCore(buffer);
        }

        if (++_calls % 2 == 0)
        {
            WouldBlocks++;
            Interest = IoInterest.Read;
            return IoResult.WouldBlock;
        }

        return Track(Next!.Receive(buffer[..Math.Min(buffer.Length, MaxBytes)]));
    }
}
