using System.Net;
using System.Net.Sockets;

namespace Vtls.Conformance.Wire;

/// <summary>
/// A recording, fault-injecting TCP proxy on loopback: the client connects to <see cref="EndPoint"/>, the recorder
/// connects to the server, forwards both directions, logs every TLS record header and how each side ended its
/// stream (FIN or RST), and applies armed <see cref="WireFault"/>s.
/// </summary>
/// <remarks>
/// A FIN from one side is forwarded as a half-close (the other direction keeps flowing); a RST from one side resets
/// the other. The logs hold what each SENDER put on the wire, whatever a fault then forwarded.
/// </remarks>
public sealed partial class WireRecorder : IAsyncDisposable
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly Socket _listener;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _lifetime;
    private readonly WirePump _clientToServer;
    private readonly WirePump _serverToClient;
    private readonly Task _run;
    private Socket? _client;
    private Socket? _upstream;
    private bool _tornDown;

    private WireRecorder(IPEndPoint server, TimeSpan lifetime)
    {
        _server = server;
        var loopback = server.AddressFamily == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Loopback
            : IPAddress.Loopback;
        _listener = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(loopback, 0));
        _listener.Listen(1);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _lifetime = new CancellationTokenSource(lifetime);
        ClientToServer = new WireDirectionLog(WireDirection.ClientToServer);
        ServerToClient = new WireDirectionLog(WireDirection.ServerToClient);
        _clientToServer = new WirePump(this, ClientToServer, _lifetime.Token);
        _serverToClient = new WirePump(this, ServerToClient, _lifetime.Token);
        _lifetime.Token.Register(TearDown);
        _run = RunAsync();
    }

    /// <summary>Where the client connects.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The client-to-server log.</summary>
    public WireDirectionLog ClientToServer { get; }

    /// <summary>The server-to-client log.</summary>
    public WireDirectionLog ServerToClient { get; }

    /// <summary>
    /// Completes when both directions ended (or the lifetime expired, or the recorder was disposed). Never faults.
    /// </summary>
    public Task Completion => _run;

    /// <summary>Why the recorder stopped early (the server refused, the lifetime expired), if it did.</summary>
    public Exception? Error { get; private set; }

    internal bool IsTornDown
    {
        get
        {
            lock (_gate)
            {
                return _tornDown;
            }
        }
    }

    /// <summary>
    /// Starts a recorder in front of <paramref name="server"/>: it listens on 127.0.0.1 (or ::1 when the server is
    /// IPv6) on a port from the OS, accepts ONE client, then connects to the server.
    /// </summary>
    /// <param name="server">The real server.</param>
    /// <param name="lifetime">After this (default 30 s) everything is torn down, whatever state it is in.</param>
    public static WireRecorder Start(IPEndPoint server, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var bound = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bound, TimeSpan.Zero, nameof(lifetime));
        return new WireRecorder(server, bound);
    }

    /// <summary>The log of <paramref name="direction"/>.</summary>
    /// <param name="direction">The direction.</param>
    public WireDirectionLog Log(WireDirection direction) =>
        direction == WireDirection.ClientToServer ? ClientToServer : ServerToClient;

    /// <summary>
    /// Arms <paramref name="fault"/> for <paramref name="direction"/>: it applies to records whose first byte
    /// arrives after this call. Faults queue: each record fault is used up by one record, in order.
    /// <see cref="WireFaultKind.Swallow"/> and <see cref="WireFaultKind.ResetNow"/> act at once.
    /// </summary>
    /// <param name="direction">The direction to affect.</param>
    /// <param name="fault">The fault.</param>
    public void Arm(WireDirection direction, WireFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Pump(direction).Arm(fault);
    }

    /// <summary>
    /// Waits for a record of <paramref name="direction"/> that matches, looking at every record logged so far and
    /// then at new ones.
    /// </summary>
    /// <param name="direction">The direction.</param>
    /// <param name="match">The condition.</param>
    /// <param name="timeout">How long to wait.</param>
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
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">No match within the timeout, or the stream ended without one.</exception>
    public async Task<WireRecord> WaitForRecordAsync(
        WireDirection direction,
        Func<WireRecord, bool> match,
        int startIndex,
        TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        var log = Log(direction);
        using var bound = new CancellationTokenSource(timeout);
        int index = startIndex;
        while (true)
        {
            // Take the change signal before looking, so a record that lands in between still wakes us.
            var changed = log.NextChange();
            var (record, ended) = log.TryGet(index);
            if (record is not null)
            {
                if (match(record))
                {
                    return record;
                }

                index++;
                continue;
            }

            if (ended)
            {
                throw new TimeoutException($"{direction} ended without a matching record: {log}");
            }

            try
            {
                await changed.WaitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No matching {direction} record within {timeout.TotalSeconds:0.###} s: {log}");
            }
        }
    }

    /// <summary>Tears everything down (both sockets, the listener, the pumps); bounded.</summary>
    public async ValueTask DisposeAsync()
    {
        TearDown();
        try
        {
            await _run.WaitAsync(DisposeBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Every socket is closed, so the pumps end at their next step; nothing more to wait for.
        }

        _lifetime.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ClientToServer}; {ServerToClient}";

    private WirePump Pump(WireDirection direction) =>
        direction == WireDirection.ClientToServer ? _clientToServer : _serverToClient;
}
