namespace Vtls.Conformance.Transport;

/// <summary>
/// One end of a <see cref="MemoryTransport"/> pair: a bottom filter that behaves like a non-blocking TCP socket
/// on loopback, without one.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Send would-block when the other end's buffer is full; receive would-block when it is empty.</item>
/// <item><see cref="ConnectionFilter.Shutdown"/> is a FIN: the other end reads the bytes sent so far, then end of
/// stream.</item>
/// <item><see cref="Reset"/> is a RST: the other end's next send or receive throws
/// <see cref="TlsErrorKind.TransportReset"/>, even if bytes were still buffered for it.</item>
/// <item><see cref="ConnectionFilter.Close"/> is a FIN, unless bytes sent to this end were never read: then, as
/// Linux does, a RST. A send toward a closed end also fails with a reset.</item>
/// </list>
/// </remarks>
public sealed class MemoryPipeEnd : ConnectionFilter
{
    private readonly MemoryPipe _pipe;
    private readonly int _side;

    internal MemoryPipeEnd(MemoryPipe pipe, int side)
        : base(side == 0 ? "memory:a" : "memory:b", null, null)
    {
        _pipe = pipe;
        _side = side;
        IsConnected = true;
    }

    /// <inheritdoc/>
    public override bool HasBufferedInput => false;

    /// <summary>Bytes sent by the other end that this end has not read yet.</summary>
    public int UnreadBytes
    {
        get
        {
            lock (_pipe.Gate)
            {
                return _pipe.Incoming(_side).Count;
            }
        }
    }

    /// <summary>
    /// Resets the connection (a RST): the other end's next operation throws
    /// <see cref="TlsErrorKind.TransportReset"/>. This end is closed.
    /// </summary>
    public void Reset()
    {
        lock (_pipe.Gate)
        {
            MarkReset();
        }

        Close();
    }

    /// <inheritdoc/>
    public override async ValueTask WaitAsync(IoInterest interest, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_pipe.Gate)
            {
                if (IsReady(interest))
                {
                    return;
                }

                changed = _pipe.NextChange();
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override Progress ConnectCore() => Progress.Done;

    /// <inheritdoc/>
    protected override IoResult SendCore(ReadOnlySpan<byte> data)
    {
        lock (_pipe.Gate)
        {
            var outgoing = _pipe.Outgoing(_side);
            ThrowIfReset();
            if (outgoing.IsReaderClosed)
            {
                throw ResetError("send: the other end is closed");
            }

            int n = outgoing.Write(data);
            if (n == 0)
            {
                Interest = IoInterest.Write;
                return IoResult.WouldBlock;
            }

            Interest = IoInterest.None;
            _pipe.SignalChanged();
            return IoResult.Completed(n);
        }
    }

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        lock (_pipe.Gate)
        {
            ThrowIfReset();
            var incoming = _pipe.Incoming(_side);
            int n = incoming.Read(buffer);
            Interest = IoInterest.None;
            if (n > 0)
            {
                _pipe.SignalChanged();
                return IoResult.Completed(n);
            }

            if (incoming.IsFinished)
            {
                return IoResult.EndOfStream;
            }

            Interest = IoInterest.Read;
            return IoResult.WouldBlock;
        }
    }

    /// <inheritdoc/>
    protected override Progress ShutdownCore()
    {
        lock (_pipe.Gate)
        {
            _pipe.Outgoing(_side).IsFinished = true;
            _pipe.SignalChanged();
        }

        return Progress.Done;
    }

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        lock (_pipe.Gate)
        {
            var incoming = _pipe.Incoming(_side);
            if (incoming.Count > 0 && !_pipe.Outgoing(_side).IsReset)
            {
                // Closing with unread input makes the Linux kernel send RST instead of FIN.
                MarkReset();
            }

            _pipe.Outgoing(_side).IsFinished = true;
            incoming.IsReaderClosed = true;
            _pipe.SignalChanged();
        }
    }

    private static TlsException ResetError(string what) =>
        new(TlsErrorKind.TransportReset, $"The in-memory connection was reset ({what}).");

    private void MarkReset()
    {
        _pipe.Outgoing(_side).IsReset = true;
        _pipe.SignalChanged();
    }

    private void ThrowIfReset()
    {
        if (_pipe.Incoming(_side).IsReset)
        {
            throw ResetError("by the other end");
        }
    }

    private bool IsReady(IoInterest interest)
    {
        if (IsClosed || interest == IoInterest.None)
        {
            return true;
        }

        var incoming = _pipe.Incoming(_side);
        var outgoing = _pipe.Outgoing(_side);
        bool failed = incoming.IsReset || outgoing.IsReaderClosed;
        bool readable = incoming.Count > 0 || incoming.IsFinished;
        bool writable = outgoing.Free > 0;
        return failed
            || (interest.HasFlag(IoInterest.Read) && readable)
            || (interest.HasFlag(IoInterest.Write) && writable);
    }
}
