namespace Vtls.Conformance.Peers;

/// <summary>How the peer saw the stream from the backend under test end.</summary>
internal enum PeerObservation
{
    /// <summary>Nothing conclusive (the peer cannot tell, or the time ran out).</summary>
    Unknown,

    /// <summary>close_notify arrived: a clean end of stream.</summary>
    CleanClose,

    /// <summary>The transport ended without close_notify.</summary>
    Truncated,

    /// <summary>A fatal alert arrived.</summary>
    AlertReceived,

    /// <summary>The connection was reset.</summary>
    Reset,

    /// <summary>The handshake failed.</summary>
    HandshakeFailed,

    /// <summary>The peer rejected the certificate of the backend under test.</summary>
    CertificateRejected,

    /// <summary>Another failure; the detail says which.</summary>
    Error,
}

/// <summary>What the peer observed at the end, with a detail for the report.</summary>
/// <param name="Observation">The observation.</param>
/// <param name="Detail">What it said.</param>
internal sealed record PeerEnd(PeerObservation Observation, string Detail)
{
    /// <summary>
    /// Set when the peer itself refused to send the late data it was asked to send after close_notify (a local
    /// misuse error: the peer cannot play the part), as opposed to a transport failure.
    /// </summary>
    public string? LateDataRefused { get; init; }

    public override string ToString() => $"{Observation} ({Detail})";
}

/// <summary>
/// The peer's side of one connection: a backend in this process or a command-line tool. Every wait is bounded.
/// </summary>
internal abstract class PeerSession : IAsyncDisposable
{
    /// <summary>The peer's name in reports.</summary>
    public abstract string Name { get; }

    /// <summary>The application bytes received so far.</summary>
    public abstract byte[] Received { get; }

    /// <summary>Sends application data.</summary>
    public abstract Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Waits until at least <paramref name="count"/> bytes in total were received; returns them all.</summary>
    public abstract Task<byte[]> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Starts a graceful close: close_notify now, the backend's answer later.</summary>
    public abstract Task BeginCloseAsync(CancellationToken cancellationToken);

    /// <summary>Ends the connection without close_notify.</summary>
    public abstract Task AbortAsync();

    /// <summary>
    /// Reads until the stream from the backend under test ends and reports how. A peer that answers close_notify
    /// does so. <paramref name="lateData"/>, for an in-process peer, is sent after close_notify arrived and before
    /// the answer (CONFORMANCE S04).
    /// </summary>
    public abstract Task<PeerEnd> WaitForEndAsync(
        TimeSpan timeout,
        CancellationToken cancellationToken,
        ReadOnlyMemory<byte> lateData = default);

    /// <summary>Releases everything; bounded.</summary>
    public abstract ValueTask DisposeAsync();
}
