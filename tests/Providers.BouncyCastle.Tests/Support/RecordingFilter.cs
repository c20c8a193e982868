namespace Vtls.Tests.Support;

/// <summary>
/// A pass-through filter between TLS and TCP that keeps a copy of every byte sent, so a test can count the
/// records that actually went to the socket.
/// </summary>
internal sealed class RecordingFilter(ConnectionFilter next) : ConnectionFilter("recorder", next, null)
{
    private readonly List<byte> _sent = [];

    public byte[] Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToArray();
            }
        }
    }

    protected override Progress ConnectCore()
    {
        IsConnected = true;
        return Progress.Done;
    }

    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        var result = Next!.Send(data);
        Interest = Next.Interest;
        lock (_sent)
        {
            _sent.AddRange(data[..result.Count].ToArray());
        }

        return result;
    }

    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        var result = Next!.Receive(buffer);
        Interest = Next.Interest;
        return result;
    }

    protected override Progress ShutdownCore()
    {
        var progress = Next!.Shutdown();
        Interest = Next.Interest;
        return progress;
    }

    protected override void CloseCore()
    {
    }
}
