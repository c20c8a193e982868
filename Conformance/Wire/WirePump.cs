using System.Net.Sockets;

namespace Vtls.Conformance.Wire;

/// <summary>
/// Moves one direction's bytes: reads from the sender, logs them, lets the <see cref="WireFaultEngine"/> decide what
/// to forward, and performs that toward the receiver. Never throws: every failure becomes a logged end or a
/// teardown.
/// </summary>
internal sealed class WirePump
{
    private const int ChunkSize = 64 * 1024;
    private static readonly TimeSpan CoalesceBound = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WireFaultEngine _engine = new();
    private readonly WireRecorder _owner;
    private readonly CancellationToken _lifetime;
    private Socket? _destination;
    private int _timerGeneration;

    public WirePump(WireRecorder owner, WireDirectionLog log, CancellationToken lifetime)
    {
        _owner = owner;
        Log = log;
        _lifetime = lifetime;
    }

    public WireDirectionLog Log { get; }

    public WireDirection Direction => Log.Direction;

    /// <summary>Arms a fault; a <see cref="WireFaultKind.ResetNow"/> resets both sides before this returns.</summary>
    public void Arm(WireFault fault)
    {
        List<WireOutput> steps;
        lock (_gate)
        {
            steps = _engine.Arm(fault);
        }

        if (steps.Any(s => s.Kind == WireOutputKind.Reset))
        {
            _owner.ResetBoth();
        }
    }

    /// <summary>
    /// Forwards from <paramref name="source"/> to <paramref name="destination"/> until the source ends.
    /// </summary>
    public async Task RunAsync(Socket source, Socket destination)
    {
        _destination = destination;
        using var stopTimers = CancellationTokenSource.CreateLinkedTokenSource(_lifetime);
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                int n = await source.ReceiveAsync(buffer, SocketFlags.None, _lifetime).ConfigureAwait(false);
                if (n == 0)
                {
                    Log.MarkEnded(StreamEnd.Fin);
                    await PerformLockedAsync(e => e.EndOfStream()).ConfigureAwait(false);
                    return;
                }

                Log.Append(buffer.AsSpan(0, n));
                await PerformLockedAsync(e => e.Process(buffer.AsSpan(0, n))).ConfigureAwait(false);
                StartCoalesceTimerIfNeeded(stopTimers.Token);
            }
        }
        catch (SocketException e) when (IsPeerReset(e.SocketErrorCode) && !_owner.IsTornDown)
        {
            Log.MarkEnded(StreamEnd.Reset);
            _owner.ResetBoth();
        }
        catch (Exception e)
            when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Torn down by the recorder (a fault, the lifetime, or dispose): the sender did not end anything.
        }
        finally
        {
            await stopTimers.CancelAsync().ConfigureAwait(false);
        }
    }

    private static bool IsPeerReset(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionAborted;

    private static bool IsReceiverGone(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.NotConnected;

    private async Task PerformLockedAsync(Func<WireFaultEngine, List<WireOutput>> step)
    {
        // The write lock is taken BEFORE the engine is asked, so steps from the reader and the coalescing timer
        // reach the receiver in the order the engine produced them.
        await _writeLock.WaitAsync(_lifetime).ConfigureAwait(false);
        try
        {
            List<WireOutput> steps;
            lock (_gate)
            {
                steps = step(_engine);
            }

            await PerformAsync(steps).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task PerformAsync(List<WireOutput> steps)
    {
        var destination = _destination!;
        foreach (var output in steps)
        {
            try
            {
                switch (output.Kind)
                {
                    case WireOutputKind.Write:
                        await SendAllAsync(destination, output.Bytes!).ConfigureAwait(false);
                        break;
                    case WireOutputKind.Fin:
                        destination.Shutdown(SocketShutdown.Send);
                        break;
                    case WireOutputKind.Reset:
                        _owner.ResetBoth();
                        return;
                }
            }
            catch (SocketException e) when (IsReceiverGone(e.SocketErrorCode) && !_owner.IsTornDown)
            {
                // The receiver reset its connection: that is the end of ITS stream toward us.
                _owner.OnReceiverReset(Direction);
                return;
            }
        }
    }

    private async Task SendAllAsync(Socket destination, byte[] bytes)
    {
        // One SendAsync hands the whole buffer to the kernel where it fits, so a coalesced batch leaves in one
        // segment on loopback (the kernel may still split a batch larger than the MSS).
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await destination.SendAsync(bytes.AsMemory(sent), SocketFlags.None, _lifetime)
                .ConfigureAwait(false);
        }
    }

    private void StartCoalesceTimerIfNeeded(CancellationToken stop)
    {
        int generation;
        lock (_gate)
        {
            if (!_engine.IsCoalescing || _engine.CoalesceGeneration == _timerGeneration)
            {
                return;
            }

            generation = _timerGeneration = _engine.CoalesceGeneration;
        }

        _ = FlushCoalescedLaterAsync(generation, stop);
    }

    private async Task FlushCoalescedLaterAsync(int generation, CancellationToken stop)
    {
        try
        {
            await Task.Delay(CoalesceBound, stop).ConfigureAwait(false);
            await PerformLockedAsync(e => e.FlushCoalescedIfStill(generation)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The pump ended or the recorder was torn down: nothing left to flush to.
        }
    }
}
