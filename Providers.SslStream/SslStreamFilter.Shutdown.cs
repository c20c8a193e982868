namespace Vtls.Providers.SslStream;

/// <summary>
/// Graceful shutdown: close_notify exactly once, then read until the peer's, discarding data meanwhile.
/// </summary>
public sealed partial class SslStreamFilter
{
    private Task? _shutdownWrite;
    private int _discarded;

    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// The base class calls this only while connected, not yet shut down and free of a fatal error, so a failed
    /// handshake or a received or sent fatal alert never reaches here and never sends close_notify.
    /// </para>
    /// <para>
    /// The step that puts close_notify on the wire returns would-block without reading, unless the peer's
    /// close_notify already came. Data the application reads with receive while the shutdown waits is still
    /// delivered (half-close, CONFORMANCE S14); data that later shutdown steps read is discarded.
    /// </para>
    /// </remarks>
    protected override Progress ShutdownCore() => Step(() =>
    {
        if (!QueueCloseNotifyOnce())
        {
            Interest = PendingInterest();
            return Progress.WouldBlock;
        }

        // The alert may leave over many calls (would-block, partial writes); it is queued only once, so the
        // peer receives one intact close_notify whatever the transport does.
        if (!FlushOutbound())
        {
            Interest = IoInterest.Write;
            return Progress.WouldBlock;
        }

        if (!IsCloseNotifySent)
        {
            IsCloseNotifySent = true;
            SslStreamLog.CloseNotifySent(Logger, Name);
            if (IsCloseNotifyReceived)
            {
                // The peer closed first (S03): ours answers it, and there is nothing left to wait for.
                SslStreamLog.ShutdownAfterPeer(Logger, Name);
            }
            else
            {
                // The step that sends reads nothing (TlsFilter contract): a half-closing driver receives next and
                // gets the data the peer sent before its close_notify; only later steps read and discard.
                Interest = IoInterest.Read;
                return Progress.WouldBlock;
            }
        }

        return DrainUntilCloseNotify();
    });

    /// <returns>Whether close_notify is in the outbound queue (or already sent).</returns>
    private bool QueueCloseNotifyOnce()
    {
        if (_shutdownWrite is null)
        {
            // RFC 8446, 6.1: "Each party MUST send a close_notify alert before closing its write side of the
            // connection, unless it has already sent some error alert."
            // https://www.rfc-editor.org/rfc/rfc8446#section-6.1
            // FACTS: SslStream.ShutdownAsync writes the alert and returns; a second call throws. It is called
            // once, and the task kept, even if it fails.
            try
            {
                _shutdownWrite = _ssl.ShutdownAsync();
            }
            catch (Exception e) when (e is not TlsException)
            {
                _shutdownWrite = Task.FromException(e);
            }

            SslStreamLog.CloseNotifyQueued(Logger, Name);
        }

        if (!_shutdownWrite.IsCompleted)
        {
            return false;
        }

        if (!_shutdownWrite.IsCompletedSuccessfully)
        {
            throw WriteFailed(_shutdownWrite.Exception?.InnerException ?? new IOException(), "sending close_notify");
        }

        return true;
    }

    private Progress DrainUntilCloseNotify()
    {
        // RFC 5246, 7.2.1: "the other party MUST respond with a close_notify alert of its own and close down the
        // connection immediately, discarding any pending writes." Waiting for it is what lets both sides know
        // that nothing was lost; bytes that arrive meanwhile are read and dropped, so the kernel never answers
        // unread data with a reset.
        // https://www.rfc-editor.org/rfc/rfc5246#section-7.2.1
        try
        {
            while (true)
            {
                _discarded += _plainCount;
                _plainCount = 0;
                switch (ReadRecord("during shutdown"))
                {
                    case ReadOutcome.CloseNotify:
                        return Progress.Done;
                    case ReadOutcome.WouldBlock:
                        return Progress.WouldBlock;
                }
            }
        }
        finally
        {
            if (_discarded > 0)
            {
                SslStreamLog.DataDiscarded(Logger, Name, _discarded);
                _discarded = 0;
            }
        }
    }
}
