using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Running;
using Vtls.Conformance.Transport;
using Vtls.Conformance.Wire;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group C: close never notifies, so that the peer can tell an aborted connection from a finished one.
/// RFC 8446, 6.1: "close_notify: This alert notifies the recipient that the sender will not send any more
/// messages on this connection."
/// https://www.rfc-editor.org/rfc/rfc8446#section-6.1
/// </summary>
internal static class CloseScenarios
{
    private const string Reference = "RFC 8446, 6.1; DESIGN.md 2, shutdown rule 8";
    private const string SeenAsAbort =
        "no alert on the wire; the peer sees truncation (or a reset), never end of stream";

    public static IEnumerable<Scenario> All =>
    [
        Define("C01", "the backend closes after handshake and data, as client", Reference, SeenAsAbort,
            r => CloseAfterDataAsync(r, CloseHow.Close), ScenarioRoles.Client,
            PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData, ScenarioTransports.Both),
        Define("C02", "the backend closes after handshake and data, as server", Reference, SeenAsAbort,
            r => CloseAfterDataAsync(r, CloseHow.Close), ScenarioRoles.Server,
            PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData),
        Define("C03", "the backend is disposed (Stream Dispose as client, DisposeAsync as server)", Reference,
            "same as close",
                r => CloseAfterDataAsync(r, r.Role == TlsRole.Client ? CloseHow.Dispose : CloseHow.DisposeAsync),
            needs: PeerAbilities.ReportsEnd | PeerAbilities.ReceivesData),
        Define("C04", "the backend closes while its shutdown waits for the peer", Reference,
            "no second close_notify and no other alert", C04Async),
        Define("C05", "the backend closes mid-handshake", "DESIGN.md 2, shutdown rules 1 and 8",
            "no alert at all (no user_canceled, no close_notify)", C05Async),
        Define("C06", "the backend closes with application data still queued", Reference,
            "nothing more is written", C06Async),
    ];

    private enum CloseHow
    {
        Close,
        Dispose,
        DisposeAsync,
    }

    private static async Task CloseAfterDataAsync(ScenarioRun r, CloseHow how)
    {
        await r.ConnectAsync();
        await r.ButSendAsync(ScenarioRun.Payload(4096));
        await r.PeerReceivesAllSentAsync();
        long offset = r.ButWire.ByteCount;

        var stream = new TlsStream(r.But);
        switch (how)
        {
            case CloseHow.Close:
                r.But.Close();
                break;
            case CloseHow.Dispose:
                stream.Dispose();
                break;
            default:
                await stream.DisposeAsync();
                break;
        }

        var end = await r.PeerEndAsync();
        await r.WaitForEndAsync(r.ButWire);
        int alerts = r.ButAlertsAfter(offset);
        r.Expect(alerts == 0, $"{alerts} alert-sized records after {how}; {r.DescribeWire()}");
        r.Expect(
            end.Observation is PeerObservation.Truncated or PeerObservation.Reset,
            $"the peer saw {end}, expected truncation or a reset");
    }

    private static async Task C04Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.Swallow));
        long offset = r.ButWire.ByteCount;

        r.Expect(r.But.Chain.Shutdown() == Progress.WouldBlock,
            "the shutdown completed although the peer's close_notify never arrived");
        r.Expect(await r.WaitForButAlertAsync(offset), $"no close_notify from the backend; {r.DescribeWire()}");
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(offset);
        r.Expect(records.Count == 1, $"close during shutdown wrote more than the one close_notify; {r.DescribeWire()}");
    }

    private static async Task C05Async(ScenarioRun r)
    {
        await r.ConnectAsync(new ConnectSetup { Handshake = false });
        var chain = r.But.Chain;
        var deadline = DateTime.UtcNow + ScenarioRun.StepTimeout;
        while (r.ButWire.ByteCount == 0)
        {
            r.Expect(DateTime.UtcNow < deadline, "the backend sent nothing of its handshake");
            try
            {
                if (chain.Connect() == Progress.Done)
                {
                    throw r.Skip("the handshake completed before the backend's first flight was seen");
                }
            }
            catch (TlsException e)
            {
                throw r.Fail($"the handshake failed on its own: {e.Kind}: {e.Message}");
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await chain.WaitAsync(wait.Token);
                await Task.Delay(20, r.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Nothing to read yet; look at the wire again.
            }
        }

        await r.SettleAsync(r.ButWire);
        long offset = r.ButWire.ByteCount;
        chain.Close();
        await r.WaitForEndAsync(r.ButWire);
        var records = r.ButRecordsAfter(0);
        r.Expect(
            !records.Any(x => x.Offset >= offset),
            $"close mid-handshake wrote {r.ButWire.ByteCount - offset} more bytes; {r.DescribeWire()}");
        r.Expect(
            !records.Any(x => x.ContentType == WireRecord.Alert || WireAnalysis.IsAlertSized(x, r.Protocol)),
            $"an alert crossed the wire; {r.DescribeWire()}");
    }

    private static async Task C06Async(ScenarioRun r)
    {
        // A pass-through filter under the TLS filter counts what the TLS filter handed to the transport.
        await r.ConnectAsync(new ConnectSetup { Faults = [FaultSchedule.None] });
        await r.RoundTripAsync();
        long offset = r.ButWire.ByteCount;

        var chunk = ScenarioRun.Payload(64 * 1024, seed: 6);
        long accepted = 0;
        while (accepted < 4 * 1024 * 1024)
        {
            var result = r.But.Chain.Send(chunk);
            if (result.IsWouldBlock)
            {
                break;
            }

            accepted += result.Count;
        }

        long handedDown = r.Faults!.BytesSent;
        r.Note($"{accepted} bytes accepted, {handedDown} handed to TCP before close");
        r.But.Close();
        r.Expect(r.Faults.BytesSent == handedDown, $"close handed {r.Faults.BytesSent - handedDown} more bytes to TCP");
        await r.Peer.WaitForEndAsync(ScenarioRun.StepTimeout, r.CancellationToken);
        await r.WaitForEndAsync(r.ButWire);
        r.Expect(r.ButWire.ByteCount <= handedDown, $"the wire carried {r.ButWire.ByteCount - handedDown} extra bytes");
        r.Expect(r.ButAlertsAfter(offset) == 0, $"an alert-sized record followed the data; {r.DescribeWire()}");
    }
}
