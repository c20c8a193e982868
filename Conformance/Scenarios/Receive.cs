using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Running;
using Vtls.Conformance.Wire;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group R: receive tells a finished stream (close_notify) from a cut one (EOF without it).
/// RFC 8446, 6.1: "Any data received after a closure alert has been received MUST be ignored."
/// https://www.rfc-editor.org/rfc/rfc8446#section-6.1
/// </summary>
internal static class ReceiveScenarios
{
    private const PeerAbilities SendsThenCloses = PeerAbilities.SendsOnDemand | PeerAbilities.InitiatesCloseNotify;

    public static IEnumerable<Scenario> All =>
    [
        Define("R01", "the peer sends close_notify, then FIN", "RFC 8446, 6.1",
            "end of stream, and again on every later call", R01Async, needs: SendsThenCloses,
            transports: ScenarioTransports.Both),
        Define("R02", "the peer sends FIN without close_notify, at a record boundary", "RFC 8446, 6.1; RFC 5246, 7.2.1",
            "truncation error (not end of stream)", R02Async),
        Define("R03", "the peer sends FIN inside a record", "RFC 8446, 5.2 and 6.1",
            "truncation error", R03Async, needs: PeerAbilities.SendsOnDemand),
        Define("R04", "the peer sends close_notify, then an application-data record", "RFC 8446, 6.1",
            "end of stream; the late data never reaches the application", R04Async, needs: SendsThenCloses),
        Define("R05", "data and close_notify arrive in one segment", "RFC 8446, 6.1",
            "all the data first, then end of stream", R05Async, needs: SendsThenCloses,
            transports: ScenarioTransports.Both),
        Define("R06", "the peer sends a fatal alert", "RFC 8446, 6.2",
            "an error naming the alert; later sends fail", R06Async),
        Define("R07", "the peer sends user_canceled, then close_notify", "RFC 8446, 6.1",
            "treated as a normal close", static _ => Task.CompletedTask) with
        {
            Unplayable = "no peer available to the suite sends user_canceled after the handshake " +
                "(openssl and gnutls tools never do; the Vtls API has no way to send it)",
        },
        Define("R08", "the peer resets", "RFC 9293, 3.5.2",
            "a reset error, distinct from truncation", R08Async),
        Define("R09", "the peer closes during the handshake", "RFC 8446, 4; DESIGN.md 2",
            "connect fails with a clear error; no hang", R09Async),
    ];

    private static async Task R01Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        var data = ScenarioRun.Payload(8192, seed: 1);
        await r.Peer.SendAsync(data, r.CancellationToken);
        await r.Peer.BeginCloseAsync(r.CancellationToken);

        var (got, error) = await r.ButReadToEndAsync();
        r.Expect(error is null, $"receive failed: {error?.Kind}: {error?.Message}; {r.DescribeWire()}");
        r.Expect(got.AsSpan().SequenceEqual(data), $"received {got.Length} bytes, expected the {data.Length} sent");
        var buffer = new byte[64];
        for (int i = 0; i < 2; i++)
        {
            var again = r.But.Chain.Receive(buffer);
            r.Expect(again.IsEndOfStream, $"receive after end of stream gave {again}");
        }

        var shutdown = await r.ButShutdownAsync();
        r.Note(shutdown is null ? "shutdown completed" : $"shutdown: {shutdown.Kind}");
        await r.PeerEndAsync();
    }

    private static async Task R02Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.FinInsteadOfNextRecord));
        if (r.PeerProfile.Can(PeerAbilities.InitiatesCloseNotify, r.PeerRole))
        {
            // Its close_notify is replaced by a FIN at the record boundary.
            await r.Peer.BeginCloseAsync(r.CancellationToken);
        }
        else
        {
            await r.Peer.AbortAsync();
        }

        var (_, error) = await r.ButReadToEndAsync();
        r.Expect(error?.Kind == TlsErrorKind.Truncated,
            $"receive gave {error?.Kind.ToString() ?? "end of stream"}, expected Truncated; {r.DescribeWire()}");
    }

    private static async Task R03Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.FinInsideNextRecord));
        await r.Peer.SendAsync(ScenarioRun.Payload(2000, seed: 3), r.CancellationToken);

        var (got, error) = await r.ButReadToEndAsync();
        r.Expect(error?.Kind == TlsErrorKind.Truncated,
            $"receive gave {error?.Kind.ToString() ?? "end of stream"}, expected Truncated; {r.DescribeWire()}");
        r.Expect(got.Length == 0, $"{got.Length} bytes of a record that was cut were delivered");
    }

    private static async Task R04Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        var data = ScenarioRun.Payload(1000, seed: 4);
        await r.Peer.SendAsync(data, r.CancellationToken);
        await r.ButReceiveExactlyAsync(data.Length);
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.ReplayAfterNextRecord));
        await r.Peer.BeginCloseAsync(r.CancellationToken);

        var (late, error) = await r.ButReadToEndAsync();
        r.Expect(error is null,
            $"receive gave {error?.Kind}: {error?.Message}, expected end of stream; {r.DescribeWire()}");
        r.Expect(late.Length == 0, $"{late.Length} bytes after close_notify were delivered");
        var again = r.But.Chain.Receive(new byte[64]);
        r.Expect(again.IsEndOfStream, $"receive after end of stream gave {again}");
        await r.ButShutdownAsync();
    }

    private static async Task R05Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.CoalesceUntilSmallRecord));
        var data = ScenarioRun.Payload(10_000, seed: 5);
        await r.Peer.SendAsync(data, r.CancellationToken);
        await r.Peer.BeginCloseAsync(r.CancellationToken);

        var (got, error) = await r.ButReadToEndAsync();
        r.Expect(error is null,
            $"receive gave {error?.Kind}: {error?.Message}, expected end of stream; {r.DescribeWire()}");
        r.Expect(got.AsSpan().SequenceEqual(data), $"received {got.Length} bytes, expected the {data.Length} sent");
        await r.ButShutdownAsync();
    }

    private static async Task R06Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long peerOffset = r.PeerWire.ByteCount;
        var peerEnd = r.PeerEndAsync();
        r.Recorder.Arm(r.ButToPeer, new WireFault(WireFaultKind.CorruptNextRecord));
        await r.ButSendAsync(ScenarioRun.Payload(100, seed: 6));

        if (!await r.WaitForPeerAlertAsync(peerOffset, TimeSpan.FromSeconds(3)))
        {
            var end = await peerEnd;
            throw r.Skip($"{r.Peer.Name} sent no alert after a corrupted record (it saw {end.Observation})");
        }

        var (_, error) = await r.ButReadToEndAsync();
        r.Expect(error is { Kind: TlsErrorKind.AlertReceived, Alert: not null },
            $"receive gave {error?.Kind.ToString() ?? "end of stream"} ({error?.Message}), " +
            "expected an error naming the alert");
        r.Note($"alert: {error!.Alert}");
        try
        {
            r.But.Chain.Send(ScenarioRun.Payload(10));
            throw r.Fail("send after a fatal alert was accepted");
        }
        catch (TlsException e)
        {
            r.Note($"later send: {e.Kind}");
        }
    }

    private static async Task R08Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        r.Recorder.Arm(r.PeerToBut, new WireFault(WireFaultKind.ResetNow));

        var (_, error) = await r.ButReadToEndAsync();
        r.Expect(error?.Kind == TlsErrorKind.TransportReset,
            $"receive gave {error?.Kind.ToString() ?? "end of stream"}, expected TransportReset");
    }

    private static async Task R09Async(ScenarioRun r)
    {
        await r.ConnectAsync(new ConnectSetup
        {
            Handshake = false,
            BeforeHandshake = recorder => recorder.Arm(
                r.PeerToBut,
                new WireFault(WireFaultKind.FinInsteadOfNextRecord)),
        });

        try
        {
            await r.But.ConnectAsync(r.CancellationToken);
            throw r.Fail("the handshake succeeded although the peer closed during it");
        }
        catch (TlsException e)
        {
            r.Note($"connect failed: {e.Kind}");
            r.Expect(e.Kind != TlsErrorKind.Timeout, $"connect hung until its budget: {e.Message}");
            r.Expect(e.Kind != TlsErrorKind.Misuse, $"connect failed as misuse: {e.Message}");
            r.Expect(!string.IsNullOrWhiteSpace(e.Message), "connect failed without a message");
        }
    }
}
