using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Running;
using Vtls.Conformance.Transport;
using Vtls.Conformance.Wire;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group S: shutdown sends close_notify once and completes on the peer's.
/// RFC 8446, 6.1: "Each party MUST send a "close_notify" alert before closing its write side of the connection,
/// unless it has already sent some error alert."
/// https://www.rfc-editor.org/rfc/rfc8446#section-6.1
/// </summary>
internal static class ShutdownScenarios
{
    private const string Rfc8446Closure = "RFC 8446, 6.1; RFC 5246, 7.2.1";

    public static IEnumerable<Scenario> All =>
    [
        Define("S01", "after handshake and data, the backend shuts down", Rfc8446Closure,
            "exactly one close_notify on the wire; peer reads clean end of stream",
            S01Async, needs: PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData,
            transports: ScenarioTransports.Both),
        Define("S02", "the peer answers with its close_notify", Rfc8446Closure,
            "the backend's shutdown reports done only after the peer's close_notify was processed",
            S02Async, needs: PeerAbilities.AnswersCloseNotify),
        Define("S03", "the peer shuts down first", Rfc8446Closure,
            "receive gives end of stream; shutdown sends one close_notify and completes without waiting",
            S03Async, needs: PeerAbilities.SendsOnDemand | PeerAbilities.InitiatesCloseNotify),
        Define("S04", "the peer keeps sending data after the backend's close_notify, then answers",
            "RFC 8446, 6.1; RFC 2525, 2.17",
            "the data is discarded, never delivered; the shutdown completes; no RST either way",
            S04Async, needs: PeerAbilities.SendsAfterCloseNotify),
        Define("S05", "the close_notify write hits would-block, then 1-byte partial writes", Rfc8446Closure,
            "shutdown reports want-write and resumes; exactly one close_notify, intact",
            S05Async, needs: PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData,
            transports: ScenarioTransports.Faulty),
        Define("S06", "the peer never answers", "RFC 8446, 6.1; DESIGN.md 2, shutdown rule 7",
            "shutdown waits for read without spinning; the budget ends it with a timeout; nothing more is sent",
            S06Async),
        Define("S07", "the peer closes TCP without close_notify during the backend's shutdown", Rfc8446Closure,
            "shutdown fails as truncated; no hang", S07Async),
        Define("S08", "the peer resets during the backend's shutdown", "RFC 9293, 3.5.2; DESIGN.md 2, rule 4",
            "shutdown fails as reset; no hang", S08Async),
        Define("S09", "shutdown called again after done", "DESIGN.md 2, shutdown rule 2",
            "done at once; nothing written", S09Async, needs: PeerAbilities.AnswersCloseNotify),
        Define("S10", "shutdown before the handshake started", "DESIGN.md 2, shutdown rule 1",
            "nothing sent; done (a failed handshake is V01)", S10Async),
        Define("S11", "shutdown after a fatal alert", "RFC 8446, 6.2; DESIGN.md 2, shutdown rule 5",
            "no close_notify sent", S11Async, needs: PeerAbilities.SendsOnDemand),
        Define("S12", "send after shutdown started", "RFC 8446, 6.1; DESIGN.md 2, shutdown rule 6",
            "misuse error; nothing written", S12Async),
        Define("S13", "1 MiB in chunks through would-blocks, then shutdown", Rfc8446Closure,
            "the peer receives every byte, in order, then a clean end of stream", S13Async,
            needs: PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData, transports: ScenarioTransports.Faulty),
        Define("S14", "half-close: close_notify sent, receiving continues", "RFC 8446, 6.1",
            "the peer's data after the backend's close_notify is delivered until the peer's close_notify",
            S14Async, needs: PeerAbilities.SendsAfterCloseNotify, features: TlsFeatures.HalfClose),
    ];

    private static async Task S01Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.ButSendAsync(ScenarioRun.Payload(4096));
        await r.PeerReceivesAllSentAsync();
        long offset = r.ButWire.ByteCount;

        var shutdown = r.ButShutdownAsync();
        var end = await r.PeerEndAsync();
        var error = await shutdown;
        r.Note(error is null ? "shutdown completed" : $"shutdown ended with {error.Kind}");
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);

        int alerts = r.ButAlertsAfter(offset);
        r.Expect(alerts == 1,
            $"{alerts} alert-sized records after the data, expected exactly one close_notify; {r.DescribeWire()}");
        r.Expect(end.Observation == PeerObservation.CleanClose, $"the peer did not see a clean end: {end}");
    }

    private static async Task S02Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long peerOffset = r.PeerWire.ByteCount;

        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        int answersOnWire = WireAnalysis.CountAlertSizedRecordsAfter(r.PeerWire, peerOffset, r.Protocol);
        await peerEnd;

        r.Expect(error is null, $"the shutdown failed: {error?.Kind}: {error?.Message}; {r.DescribeWire()}");
        r.Expect(answersOnWire >= 1, "the shutdown reported done before the peer's close_notify crossed the wire");
        r.Expect(r.ButTls.IsCloseNotifyReceived,
            "the shutdown completed but the filter says no close_notify was received");
    }

    private static async Task S03Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();

        await r.Peer.BeginCloseAsync(r.CancellationToken);
        var (data, error) = await r.ButReadToEndAsync();
        r.Expect(error is null, $"receive after the peer's close_notify failed: {error?.Kind}: {error?.Message}");
        r.Expect(data.Length == 0, $"receive delivered {data.Length} unexpected bytes");

        long offset = r.ButWire.ByteCount;
        var chain = r.But.Chain;
        var first = chain.Shutdown();
        if (first == Progress.WouldBlock)
        {
            r.Expect(
                !chain.Interest.HasFlag(IoInterest.Read),
                "shutdown waits to read a close_notify it already received");
            var late = await r.ButShutdownAsync();
            r.Expect(late is null, $"the shutdown failed: {late?.Kind}: {late?.Message}");
        }

        await r.PeerEndAsync();
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        int alerts = r.ButAlertsAfter(offset);
        r.Expect(alerts == 1,
            $"{alerts} alert-sized records from the backend, expected one close_notify; {r.DescribeWire()}");
    }

    private static async Task S04Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long peerOffset = r.PeerWire.ByteCount;
        var late = ScenarioRun.Payload(64 * 1024, seed: 4);

        var peerEnd = r.PeerEndAsync(late);
        var error = await r.ButShutdownAsync();
        var end = await peerEnd;
        if (end.LateDataRefused is { } refused)
        {
            throw r.Skip(refused);
        }

        r.Expect(error is null, $"the shutdown failed: {error?.Kind}: {error?.Message}; {r.DescribeWire()}");
        r.Expect(end.Observation == PeerObservation.CleanClose, $"the peer did not see a clean end: {end}");
        r.Expect(
            r.PeerWire.ByteCount - peerOffset >= late.Length,
            $"the late data did not cross the wire ({r.PeerWire.ByteCount - peerOffset} bytes)");

        var buffer = new byte[1024];
        try
        {
            var after = r.But.Chain.Receive(buffer);
            r.Expect(after.Status != IoStatus.Completed, $"receive after shutdown delivered {after.Count} late bytes");
        }
        catch (TlsException e) when (e.Kind == TlsErrorKind.Misuse)
        {
            r.Note("receive after shutdown is a misuse error");
        }

        r.But.Close();
        await r.Peer.AbortAsync();
        await r.WaitForEndAsync(r.ButWire);
        await r.WaitForEndAsync(r.PeerWire);
        r.Expect(r.ButWire.End == StreamEnd.Fin, $"the backend ended its stream with {r.ButWire.End}, expected FIN");
        r.Expect(r.PeerWire.End == StreamEnd.Fin, $"the peer's stream ended with {r.PeerWire.End}, expected FIN");
    }

    private static async Task S05Async(ScenarioRun r)
    {
        await r.ConnectAsync(new ConnectSetup
        {
            Faults = [FaultSchedule.WouldBlockEveryOtherCall(), FaultSchedule.OneByteAtATime()],
        });
        await r.ButSendAsync(ScenarioRun.Payload(4096));
        await r.PeerReceivesAllSentAsync();
        long offset = r.ButWire.ByteCount;

        var peerEnd = r.PeerEndAsync();
        bool wantedWrite = false;
        int steps = 0;
        var chain = r.But.Chain;
        try
        {
            while (chain.Shutdown() == Progress.WouldBlock)
            {
                wantedWrite |= chain.Interest.HasFlag(IoInterest.Write);
                r.Expect(++steps < 100_000, "the shutdown never finished");
                using var wait = new CancellationTokenSource(ScenarioRun.StepTimeout);
                await chain.WaitAsync(wait.Token);
            }
        }
        catch (TlsException e)
        {
            r.Note($"shutdown ended with {e.Kind}");
        }

        var end = await peerEnd;
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(offset);
        r.Expect(wantedWrite, "the shutdown never reported want-write although the transport refused writes");
        r.Expect(records.Count == 1 && WireAnalysis.IsAlertSized(records[0], r.Protocol),
            $"expected exactly one close_notify record after the data; {r.DescribeWire()}");
        r.Expect(!records[0].Truncated, "the close_notify record was cut short");
        r.Expect(end.Observation == PeerObservation.CleanClose, $"the peer did not see a clean end: {end}");
    }

    private static async Task S06Async(ScenarioRun r)
    {
        var budget = TimeSpan.FromMilliseconds(400);
        await r.ConnectAsync(new ConnectSetup { ButShutdownBudget = budget });
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.Swallow));
        long offset = r.ButWire.ByteCount;

        var chain = r.But.Chain;
        var started = DateTime.UtcNow;
        int steps = 0;
        TlsException? outcome = null;
        while (outcome is null)
        {
            try
            {
                r.Expect(chain.Shutdown() == Progress.WouldBlock,
                    "the shutdown completed although the peer's close_notify never arrived");
            }
            catch (TlsException e)
            {
                outcome = e;
                break;
            }

            steps++;
            r.Expect(steps <= 50, $"the shutdown spun: {steps} steps, last interest {chain.Interest}");
            r.Expect(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the budget never ended the shutdown");
            var left = chain.ShutdownTimeLeft;
            using var wait = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            try
            {
                await chain.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // The budget's end: the next step reports it.
            }
        }

        r.Note($"{steps} shutdown steps, then {outcome.Kind}");
        r.Expect(outcome.Kind == TlsErrorKind.Timeout, $"the shutdown ended with {outcome.Kind}, expected Timeout");
        r.Expect(chain.IsClosed, "the chain was not closed when the budget ran out");
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(offset);
        r.Expect(records.Count == 1 && WireAnalysis.IsAlertSized(records[0], r.Protocol),
            $"expected exactly one close_notify and nothing more; {r.DescribeWire()}");
    }

    private static async Task S07Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.FinInsteadOfNextRecord));
        long offset = r.ButWire.ByteCount;

        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        await peerEnd;
        r.Expect(error?.Kind == TlsErrorKind.Truncated,
            $"the shutdown ended with {error?.Kind.ToString() ?? "success"}, expected Truncated; {r.DescribeWire()}");
        await r.WaitForEndAsync(r.ButWire);
        r.Expect(r.ButAlertsAfter(offset) == 1, $"expected one close_notify; {r.DescribeWire()}");
    }

    private static async Task S08Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.Swallow));
        long offset = r.ButWire.ByteCount;

        var shutdown = r.ButShutdownAsync();
        r.Expect(await r.WaitForButAlertAsync(offset), $"no close_notify from the backend; {r.DescribeWire()}");
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.ResetNow));
        var error = await shutdown;
        r.Expect(error?.Kind == TlsErrorKind.TransportReset,
            $"the shutdown ended with {error?.Kind.ToString() ?? "success"}, expected TransportReset");
    }

    private static async Task S09Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        await peerEnd;
        r.Expect(error is null, $"the first shutdown failed: {error?.Kind}: {error?.Message}");
        long offset = r.ButWire.ByteCount;

        var again = r.But.Chain.Shutdown();
        r.Expect(again == Progress.Done, "a second shutdown after done was not done at once");
        r.Expect(r.ButTls.Shutdown() == Progress.Done, "the TLS filter's second shutdown was not done at once");
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        r.Expect(r.ButWire.ByteCount == offset,
            $"{r.ButWire.ByteCount - offset} bytes written after shutdown was done");
    }

    private static async Task S10Async(ScenarioRun r)
    {
        await r.ConnectAsync(new ConnectSetup { Handshake = false });
        var below = r.ButTls.Next!;
        using (var wait = new CancellationTokenSource(ScenarioRun.StepTimeout))
        {
            while (below.Connect() == Progress.WouldBlock)
            {
                await below.WaitAsync(below.Interest, wait.Token);
            }
        }

        var progress = r.But.Chain.Shutdown();
        r.Expect(progress == Progress.Done, "shutdown before the handshake was not done at once");
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        r.Expect(r.ButWire.ByteCount == 0, $"{r.ButWire.ByteCount} bytes sent although the handshake never started");
    }

    private static async Task S11Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.CorruptNextRecord));
        await r.Peer.SendAsync(ScenarioRun.Payload(1024), r.CancellationToken);
        var (_, error) = await r.ButReadToEndAsync();
        r.Expect(error is not null && error.Kind is not TlsErrorKind.Truncated,
            $"a corrupted record gave {error?.Kind.ToString() ?? "end of stream"}, expected a fatal error");
        r.Note($"receive failed: {error!.Kind} {error.Alert}");
        await r.SettleAsync(r.ButWire);
        long offset = r.ButWire.ByteCount;

        try
        {
            r.But.Chain.Shutdown();
        }
        catch (TlsException e)
        {
            r.Note($"shutdown after the fatal error: {e.Kind}");
        }

        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(offset);
        r.Expect(records.Count == 0,
            $"{records.Count} records sent by shutdown after the fatal error; {r.DescribeWire()}");
    }

    private static async Task S12Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long offset = r.ButWire.ByteCount;

        r.But.Chain.Shutdown();
        try
        {
            var sent = r.But.Chain.Send(ScenarioRun.Payload(100));
            throw r.Fail($"send after shutdown started returned {sent}, expected a misuse error");
        }
        catch (TlsException e)
        {
            r.Expect(e.Kind == TlsErrorKind.Misuse, $"send after shutdown failed as {e.Kind}, expected Misuse");
        }

        r.Expect(await r.WaitForButAlertAsync(offset), $"no close_notify was sent; {r.DescribeWire()}");
        await r.SettleAsync(r.ButWire);
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(offset);
        r.Expect(records.Count == 1, $"expected only the close_notify after shutdown started; {r.DescribeWire()}");
    }

    private static async Task S13Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        var data = ScenarioRun.Payload(1024 * 1024, seed: 13);
        const int chunk = 16 * 1024;
        for (int at = 0; at < data.Length; at += chunk)
        {
            await r.ButSendAsync(data[at..Math.Min(at + chunk, data.Length)]);
        }

        // A mebibyte through one-byte writes, read by a command-line tool: give it time, not a hang.
        await r.PeerReceivesAllSentAsync(TimeSpan.FromSeconds(20));
        var shutdown = r.ButShutdownAsync();
        var end = await r.PeerEndAsync();
        var error = await shutdown;
        r.Note(error is null ? "shutdown completed" : $"shutdown ended with {error.Kind}");
        r.Expect(end.Observation == PeerObservation.CleanClose, $"the peer did not see a clean end: {end}");
    }

    private static async Task S14Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        var late = ScenarioRun.Payload(16 * 1024, seed: 14);
        var chain = r.But.Chain;
        r.Expect(chain.Shutdown() == Progress.WouldBlock, "shutdown completed before the peer's close_notify");

        var peerEnd = r.PeerEndAsync(late);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var wait = new CancellationTokenSource(ScenarioRun.StepTimeout);
        try
        {
            while (true)
            {
                var result = chain.Receive(buffer);
                if (result.IsEndOfStream)
                {
                    break;
                }

                if (result.IsWouldBlock)
                {
                    await chain.WaitAsync(wait.Token);
                    continue;
                }

                received.Write(buffer, 0, result.Count);
            }
        }
        catch (OperationCanceledException)
        {
            var stalled = await peerEnd;
            if (stalled.LateDataRefused is { } refused)
            {
                throw r.Skip(refused);
            }

            throw r.Fail($"neither the late data nor the peer's close_notify arrived ({received.Length} bytes)");
        }

        await peerEnd;
        r.Expect(received.ToArray().AsSpan().SequenceEqual(late),
            $"received {received.Length} of {late.Length} bytes sent after close_notify");
    }
}
