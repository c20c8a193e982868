namespace Vtls.Conformance.Wire;

/// <summary>What the recorder does to a direction's traffic when a fault is armed.</summary>
public enum WireFaultKind
{
    /// <summary>From now on forward nothing in this direction, but keep TCP open: the peer "never answers".</summary>
    Swallow,

    /// <summary>
    /// When the next record arrives: drop it and send FIN to the receiver instead, at a record boundary.
    /// </summary>
    FinInsteadOfNextRecord,

    /// <summary>
    /// Forward only the first <see cref="WireFault.Bytes"/> bytes of the next record (default: the header and half
    /// the payload), then FIN.
    /// </summary>
    FinInsideNextRecord,

    /// <summary>When the next record arrives: drop it and reset both sides (RST, via SO_LINGER 0).</summary>
    ResetOnNextRecord,

    /// <summary>Reset both sides now.</summary>
    ResetNow,

    /// <summary>
    /// Forward the next record, then a byte copy of the last earlier application-data record (content type 23)
    /// of this direction: a replay the receiver must reject.
    /// </summary>
    ReplayAfterNextRecord,

    /// <summary>
    /// Hold records until one with a payload of at most 32 bytes (alert-sized) arrives, then write everything held
    /// in ONE send, so that data and close_notify arrive in one segment. Flushes anyway after 2 s.
    /// </summary>
    CoalesceUntilSmallRecord,

    /// <summary>Flip one bit in the last payload byte of the next record (its AEAD tag, when encrypted).</summary>
    CorruptNextRecord,
}

/// <summary>A fault to apply to one direction's traffic.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Bytes">For <see cref="WireFaultKind.FinInsideNextRecord"/>: how many bytes of the record to forward;
/// 0 means the header and half the payload.</param>
public sealed record WireFault(WireFaultKind Kind, int Bytes = 0);
