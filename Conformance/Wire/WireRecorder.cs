using System.Net;

namespace Vtls.Conformance.Wire;

/// <summary>
/// A recording, fault-injecting TCP proxy on loopback: the client connects to <see cref="EndPoint"/>, the recorder
/// connects to the server, forwards both directions, logs every TLS record header and how each side ended its
/// stream (FIN or RST), and applies armed <see cref="WireFault"/>s.
/// </summary>
public sealed partial class WireRecorder : IAsyncDisposable
{
    /// <summary>
    /// Starts a recorder in front of <paramref name="server"/>: it listens on 127.0.0.1 (or ::1 when the server is
    /// IPv6) on a port from the OS, accepts ONE client, then connects to the server.
    /// </summary>
    /// <param name="server">The real server.</param>
    /// <param name="lifetime">After this (default 30 s) everything is torn down, whatever state it is in.</param>
    public static WireRecorder Start(IPEndPoint server, TimeSpan? lifetime = null) =>
        throw new NotImplementedException();

    /// <summary>Where the client connects.</summary>
    public IPEndPoint EndPoint => throw new NotImplementedException();

    /// <summary>The client-to-server log.</summary>
    public WireDirectionLog ClientToServer => throw new NotImplementedException();

    /// <summary>The server-to-client log.</summary>
    public WireDirectionLog ServerToClient => throw new NotImplementedException();

    /// <summary>Completes when both directions ended (or the lifetime expired, or the recorder was disposed).</summary>
    public Task Completion => throw new NotImplementedException();

    /// <summary>The log of <paramref name="direction"/>.</summary>
    /// <param name="direction">The direction.</param>
    public WireDirectionLog Log(WireDirection direction) =>
        direction == WireDirection.ClientToServer ? ClientToServer : ServerToClient;

    /// <summary>
    /// Arms <paramref name="fault"/> for <paramref name="direction"/>: it applies to records that arrive after this
    /// call. Faults queue: each record-triggered fault is used up by one record, in order.
    /// </summary>
    /// <param name="direction">The direction to affect.</param>
    /// <param name="fault">The fault.</param>
    public void Arm(WireDirection direction, WireFault fault) => throw new NotImplementedException();

    /// <summary>
    /// Waits for a record of <paramref name="direction"/> that matches, looking at every record logged so far and
    /// then at new ones.
    /// </summary>
    /// <param name="direction">The direction.</param>
    /// <param name="match">The condition.</param>
    /// <param name="timeout">How long to wait; then <see cref="TimeoutException"/>.</param>
    /// <exception cref="TimeoutException">No match within the timeout, or the stream ended without one.</exception>
    public Task<WireRecord> WaitForRecordAsync(
        WireDirection direction,
        Func<WireRecord, bool> match,
        TimeSpan timeout) =>
        WaitForRecordAsync(direction, match, 0, timeout);

    /// <summary>
    /// Waits for a record of <paramref name="direction"/> that matches, at index <paramref name="startIndex"/> of
    /// <see cref="WireDirectionLog.Records"/> or later (take <c>Records.Count</c> before an action to see only
    /// what the action caused).
    /// </summary>
    /// <param name="direction">The direction.</param>
    /// <param name="match">The condition.</param>
    /// <param name="startIndex">The first record index to consider.</param>
    /// <param name="timeout">How long to wait; then <see cref="TimeoutException"/>.</param>
    /// <exception cref="TimeoutException">No match within the timeout, or the stream ended without one.</exception>
    public Task<WireRecord> WaitForRecordAsync(
        WireDirection direction,
        Func<WireRecord, bool> match,
        int startIndex,
        TimeSpan timeout) =>
        throw new NotImplementedException();

    /// <summary>Tears everything down (both sockets, the listener, the pumps); bounded.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
