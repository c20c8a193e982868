namespace Vtls;

/// <summary>
/// The one exception family of Vtls: every failure of a filter, a chain or an adapter. It derives from
/// <see cref="IOException"/> so that code written against <see cref="Stream"/> catches it as it is.
/// </summary>
/// <remarks>
/// Would-block is never an exception: it is <see cref="IoStatus.WouldBlock"/> or
/// <see cref="Progress.WouldBlock"/>.
/// </remarks>
public class TlsException : IOException
{
    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What failed.</param>
    /// <param name="message">What happened and, where it helps, what to do.</param>
    /// <param name="alert">The alert received or sent, if the failure involves one.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public TlsException(
        TlsErrorKind kind,
        string message,
        TlsAlertDescription? alert = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Alert = alert;
    }

    /// <summary>What kind of failure this is.</summary>
    public TlsErrorKind Kind { get; }

    /// <summary>
    /// The alert involved: received from the peer for <see cref="TlsErrorKind.AlertReceived"/>, or the
    /// one this side sent for a failure it detected; <see langword="null"/> when there was none.
    /// </summary>
    public TlsAlertDescription? Alert { get; }

    /// <summary>Creates a <see cref="TlsErrorKind.Misuse"/> error.</summary>
    /// <param name="message">What the caller did wrong.</param>
    public static TlsException Misuse(string message) => new(TlsErrorKind.Misuse, message);

    /// <summary>Creates the error for a transport EOF that came without the peer's close_notify.</summary>
    /// <param name="where">Where it happened, for the message: "during receive", "during shutdown", ...</param>
    public static TlsException Truncated(string where) =>
        new(
            TlsErrorKind.Truncated,
            $"The peer closed the connection without close_notify {where}: the data may be truncated. " +
            "A peer that finished cleanly sends close_notify first.");

    /// <summary>Creates the error for a fatal alert received from the peer.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="innerException">The provider's exception, if any.</param>
    public static TlsException AlertReceived(TlsAlertDescription alert, Exception? innerException = null) =>
        new(
            TlsErrorKind.AlertReceived,
            $"The peer sent a fatal alert: {alert.ToRfcName()} ({(byte)alert}).",
            alert,
            innerException);
}
