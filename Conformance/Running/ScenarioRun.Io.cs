using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Wire;

namespace Vtls.Conformance.Running;

internal sealed partial class ScenarioRun
{
    private readonly MemoryStream _butSent = new();
    private int _echoRead;

    /// <summary>Everything the backend under test sent so far.</summary>
    public byte[] ButSent => _butSent.ToArray();

    /// <summary>Sends through the backend under test, all of it, within the step budget.</summary>
    public async Task ButSendAsync(byte[] data)
    {
        using var budget = StepBudget();
        try
        {
            await But.SendAsync(data, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
        {
            throw Fail(
                $"the backend under test could not send {data.Length} bytes within {StepTimeout.TotalSeconds} s");
        }

        _butSent.Write(data);
    }

    /// <summary>Receives exactly <paramref name="count"/> bytes through the backend under test.</summary>
    public async Task<byte[]> ButReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        int filled = 0;
        using var budget = StepBudget();
        try
        {
            while (filled < count)
            {
                int n = await But.ReceiveAsync(buffer.AsMemory(filled), budget.Token).ConfigureAwait(false);
                Expect(n > 0, $"the backend under test reported end of stream after {filled} of {count} bytes");
                filled += n;
            }
        }
        catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
        {
            throw Fail(
                $"the backend under test received {filled} of {count} bytes within {StepTimeout.TotalSeconds} s");
        }
        catch (TlsException e)
        {
            throw Fail($"the backend under test failed after {filled} of {count} bytes: {e.Kind}: {e.Message}");
        }

        return buffer;
    }

    /// <summary>
    /// Reads through the backend under test until end of stream or an error, within the step budget, and returns
    /// the data and how it ended (<see langword="null"/> error means end of stream).
    /// </summary>
    public async Task<(byte[] Data, TlsException? Error)> ButReadToEndAsync()
    {
        var data = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var budget = StepBudget();
        try
        {
            while (true)
            {
                int n = await But.ReceiveAsync(buffer, budget.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return (data.ToArray(), null);
                }

                data.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
        {
            throw Fail(
                $"the backend under test's receive neither ended nor failed within {StepTimeout.TotalSeconds} s " +
                $"({data.Length} bytes read); {DescribeWire()}");
        }
        catch (TlsException e)
        {
            return (data.ToArray(), e);
        }
    }

    /// <summary>Shuts the backend under test down with the async adapter; returns its error, if any.</summary>
    public async Task<TlsException?> ButShutdownAsync()
    {
        try
        {
            await But.ShutdownAsync(cancellationToken: CancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TlsException e)
        {
            return e;
        }
    }

    /// <summary>Whether the peer is an echo server (gnutls-serv): it cannot send on its own, it echoes.</summary>
    public bool PeerIsEchoServer => !PeerProfile.Can(PeerAbilities.SendsOnDemand, PeerRole);

    /// <summary>
    /// Waits until the peer received everything the backend under test sent, and checks every byte: from what the
    /// peer shows, or, for an echo server, from the echo read back through the backend.
    /// </summary>
    /// <param name="timeout">
    /// How long the peer may take; default <see cref="StepTimeout"/> (bulk transfers give more).
    /// </param>
    public async Task PeerReceivesAllSentAsync(TimeSpan? timeout = null)
    {
        if (PeerIsEchoServer)
        {
            await ReadEchoAsync().ConfigureAwait(false);
            return;
        }

        var expected = ButSent;
        var received = await Peer.ReceiveAsync(expected.Length, timeout ?? StepTimeout, CancellationToken)
            .ConfigureAwait(false);
        Expect(
            received.Length >= expected.Length,
            $"the peer received {received.Length} of {expected.Length} bytes");
        Expect(
            received.AsSpan(0, expected.Length).SequenceEqual(expected),
            $"the peer received different bytes (first difference at {FirstDifference(received, expected)})");
    }

    /// <summary>Reads back, through the backend, the echo of everything it sent that was not read back yet.</summary>
    public async Task ReadEchoAsync()
    {
        var sent = ButSent;
        var echoed = await ButReceiveExactlyAsync(sent.Length - _echoRead).ConfigureAwait(false);
        Expect(
            echoed.AsSpan().SequenceEqual(sent.AsSpan(_echoRead)),
            $"the echo of bytes {_echoRead} to {sent.Length} differs from what was sent");
        _echoRead = sent.Length;
    }

    /// <summary>
    /// One exchange that leaves no handshake traffic in flight (TLS 1.3 session tickets), so that faults armed next
    /// hit the record a scenario means: the peer sends and the backend receives, or, against an echo server,
    /// the backend sends and reads the echo.
    /// </summary>
    public async Task RoundTripAsync()
    {
        var ping = Payload(32, seed: 7);
        if (PeerProfile.Can(PeerAbilities.SendsOnDemand, PeerRole))
        {
            await Peer.SendAsync(ping, CancellationToken).ConfigureAwait(false);
            await ButReceiveExactlyAsync(ping.Length).ConfigureAwait(false);
        }
        else
        {
            // An echo server: the echo proves the ping arrived.
            await ButSendAsync(ping).ConfigureAwait(false);
            await ReadEchoAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the peer's view of the end and notes it.</summary>
    public async Task<PeerEnd> PeerEndAsync(ReadOnlyMemory<byte> lateData = default)
    {
        var end = await Peer.WaitForEndAsync(StepTimeout, CancellationToken, lateData).ConfigureAwait(false);
        Note($"peer saw {end.Observation}");
        return end;
    }

    /// <summary>Counts alert-sized records the backend sent from <paramref name="offset"/> on.</summary>
    public int ButAlertsAfter(long offset) => WireAnalysis.CountAlertSizedRecordsAfter(ButWire, offset, Protocol);

    /// <summary>The records the backend sent from <paramref name="offset"/> on.</summary>
    public IReadOnlyList<WireRecord> ButRecordsAfter(long offset) =>
        ButWire.Records.Where(r => r.Offset >= offset).ToArray();

    /// <summary>Waits until a direction's stream ended (FIN or RST); false after the timeout.</summary>
    public async Task<bool> WaitForEndAsync(WireDirectionLog log, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? StepTimeout);
        while (log.End == StreamEnd.Open)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10, CancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Waits until nothing new crossed in a direction for a short while, so a snapshot is complete.</summary>
    public async Task SettleAsync(WireDirectionLog log)
    {
        var quiet = TimeSpan.FromMilliseconds(150);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        long last = log.ByteCount;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline && log.End == StreamEnd.Open)
        {
            await Task.Delay(25, CancellationToken).ConfigureAwait(false);
            long now = log.ByteCount;
            if (now != last)
            {
                last = now;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since >= quiet)
            {
                return;
            }
        }
    }

    /// <summary>Waits for an alert-sized record from the backend at or after <paramref name="offset"/>.</summary>
    public async Task<bool> WaitForButAlertAsync(long offset, TimeSpan? timeout = null)
    {
        try
        {
            await Recorder.WaitForRecordAsync(
                    ButToPeer,
                    r => r.Offset >= offset && WireAnalysis.IsAlertSized(r, Protocol),
                    timeout ?? StepTimeout)
                .ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits for an alert-sized record from the peer at or after <paramref name="offset"/>.</summary>
    public async Task<bool> WaitForPeerAlertAsync(long offset, TimeSpan? timeout = null)
    {
        try
        {
            await Recorder.WaitForRecordAsync(
                    PeerToBut,
                    r => r.Offset >= offset && WireAnalysis.IsAlertSized(r, Protocol),
                    timeout ?? StepTimeout)
                .ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private CancellationTokenSource StepBudget()
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        budget.CancelAfter(StepTimeout);
        return budget;
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }
}
