namespace Vtls.Providers.SslStream;

/// <summary>
/// Receive: one outstanding SslStream read into <see cref="_plaintext"/>, and the rule that tells the peer's
/// close_notify from a transport EOF.
/// </summary>
public sealed partial class SslStreamFilter
{
    private readonly byte[] _plaintext = new byte[PlaintextBufferSize];
    private int _plainOffset;
    private int _plainCount;

    // SslStream allows one read at a time (FACTS); this is it, shared by receive and the shutdown drain.
    private ValueTask<int> _read;
    private bool _readOutstanding;

    // Whether SslStream may hold records we have not asked for (see HasBufferedInput).
    private bool _mayHoldRecords;

    private enum ReadOutcome
    {
        WouldBlock,
        Data,
        CloseNotify,
    }

    /// <inheritdoc/>
    protected override IoResult ReceiveCore(Span<byte> buffer)
    {
        var outcome = Step(() => _plainCount > 0 ? ReadOutcome.Data : ReadRecord("during receive"));
        switch (outcome)
        {
            case ReadOutcome.Data:
                lock (_gate)
                {
                    return IoResult.Completed(TakePlaintext(buffer));
                }

            case ReadOutcome.CloseNotify:
                return IoResult.EndOfStream;

            default:
                return IoResult.WouldBlock;
        }
    }

    /// <summary>
    /// Advances the outstanding read: starts it if needed, pumps ciphertext, and reports how it ended.
    /// </summary>
    /// <param name="where">For error messages: "during receive", "during shutdown".</param>
    private ReadOutcome ReadRecord(string where)
    {
        if (IsCloseNotifyReceived)
        {
            return ReadOutcome.CloseNotify;
        }

        if (!_readOutstanding)
        {
            StartRead(where);
        }

        Pump();
        if (!_read.IsCompleted)
        {
            _mayHoldRecords = false;
            Interest = PendingInterest();
            return ReadOutcome.WouldBlock;
        }

        int count;
        try
        {
            _readOutstanding = false;
            count = _read.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not TlsException)
        {
            throw ReadFailed(e, where);
        }

        if (count > 0)
        {
            _plainOffset = 0;
            _plainCount = count;
            _mayHoldRecords = true;
            return ReadOutcome.Data;
        }

        _mayHoldRecords = false;

        // SslStream returns 0 for the peer's close_notify and for a transport EOF at a record boundary alike.
        // Only the memory stream knows which: it hands SslStream end-of-stream only after the filter below
        // reported one.
        if (_bio.DeliveredEndOfStream)
        {
            SslStreamLog.TruncationDetected(Logger, Name, where);
            throw TlsException.Truncated(where);
        }

        // RFC 8446, 6.1: "close_notify: This alert notifies the recipient that the sender will not send any
        // more messages on this connection. Any data received after a closure alert has been received MUST be
        // ignored." SslStream returns 0 from here on, so later bytes never reach the application.
        // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
        IsCloseNotifyReceived = true;
        Interest = IoInterest.None;
        SslStreamLog.CloseNotifyReceived(Logger, Name);
        return ReadOutcome.CloseNotify;
    }

    private void StartRead(string where)
    {
        try
        {
            _read = _ssl.ReadAsync(_plaintext);
            _readOutstanding = true;
        }
        catch (Exception e) when (e is not TlsException)
        {
            throw ReadFailed(e, where);
        }
    }

    private int TakePlaintext(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _plainCount);
        _plaintext.AsSpan(_plainOffset, count).CopyTo(destination);
        _plainOffset += count;
        _plainCount -= count;
        return count;
    }

    private void ObserveAbandonedTasks()
    {
        // After close nobody awaits these; reading their exception keeps them from being reported unobserved.
        _handshake?.ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _shutdownWrite?.ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
