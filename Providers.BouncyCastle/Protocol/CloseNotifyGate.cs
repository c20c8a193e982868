namespace Vtls.Providers.BouncyCastle.Protocol;

/// <summary>
/// Decides what happens to every close_notify BouncyCastle wants to write, so that exactly one leaves this side and
/// only through our shutdown.
/// </summary>
/// <remarks>
/// BouncyCastle answers a received close_notify by itself, at once, inside <c>OfferInput</c>. Two cases follow:
/// <list type="bullet">
/// <item>We sent ours first: its answer would be a second close_notify, so it is suppressed.</item>
/// <item>The peer closed first: the answer is written into BouncyCastle's output queue, and the gate remembers
/// where it starts. The filter moves output only up to that point until the application calls shutdown, which
/// releases it (CONFORMANCE S03).</item>
/// </list>
/// </remarks>
internal sealed class CloseNotifyGate
{
    /// <summary>Whether our own close_notify was written into the protocol's output.</summary>
    public bool IsOwnCloseNotifyWritten { get; private set; }

    /// <summary>
    /// Where BouncyCastle's automatic answer starts in its output queue, counted from the queue's head when it was
    /// written; <see langword="null"/> when no answer is held.
    /// </summary>
    public int? HeldAnswerOffset { get; private set; }

    /// <summary>Whether an automatic answer is being held back.</summary>
    public bool IsHoldingAnswer => HeldAnswerOffset is not null;

    /// <summary>Called by the protocol before BouncyCastle writes a close_notify on its own.</summary>
    /// <param name="queuedOutputBytes">The protocol's output bytes queued before the alert.</param>
    /// <returns>Whether the alert may be written at all.</returns>
    public bool AllowAutomaticCloseNotify(int queuedOutputBytes)
    {
        if (IsOwnCloseNotifyWritten)
        {
            // RFC 5246, 7.2.1 asks each side for one close_notify; ours is already out.
            return false;
        }

        HeldAnswerOffset = queuedOutputBytes;
        return true;
    }

    /// <summary>Records that the bytes in front of the held answer were moved out of the protocol.</summary>
    public void AnswerMovedToHead() => HeldAnswerOffset = HeldAnswerOffset is null ? null : 0;

    /// <summary>
    /// Marks our close_notify as written: either the held answer, released, or a fresh one the protocol wrote.
    /// </summary>
    public void OwnCloseNotifyWritten()
    {
        IsOwnCloseNotifyWritten = true;
        HeldAnswerOffset = null;
    }
}
