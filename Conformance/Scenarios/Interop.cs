using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Running;
using Vtls.Conformance.Wire;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group I: interoperability with every peer. The external tools' quirks (FACTS.md) are the peer's behaviour: a
/// peer that does not answer close_notify makes a strict shutdown report truncation, and that is the right verdict.
/// </summary>
internal static class InteropScenarios
{
    private const string Reference = "RFC 8446; RFC 5246";

    public static IEnumerable<Scenario> All =>
    [
        Define("I01", "handshake and a small exchange", Reference,
            "the handshake completes with the version asked for; data crosses both ways", I01Async),
        Define("I02", "1 MiB echo", Reference, "every byte comes back, in order", I02Async,
            needs: PeerAbilities.ReceivesData),
        Define("I03", "graceful shutdown from the backend's side", Reference,
            "the peer sees a clean end; the shutdown completes (or reports truncation against a peer known not " +
            "to answer close_notify)", I03Async, needs: PeerAbilities.ReportsEnd),
        Define("I04", "graceful shutdown from the peer's side", Reference,
            "end of stream after the peer's close_notify (truncation against openssl s_server, which sends a bare FIN)",
            I04Async),
        Define("I05", "abort from the backend's side", Reference,
            "the peer sees truncation or a reset, never a clean end", I05Async, needs: PeerAbilities.ReportsEnd),
        Define("I06", "abort from the peer's side", Reference,
            "receive reports truncation or a reset, never end of stream", I06Async),
    ];

    private static async Task I01Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
    }

    private static async Task I02Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        var data = ScenarioRun.Payload(1024 * 1024, seed: 2);
        const int chunk = 64 * 1024;
        for (int at = 0; at < data.Length; at += chunk)
        {
            var piece = data[at..(at + chunk)];
            await r.ButSendAsync(piece);
            if (r.PeerIsEchoServer)
            {
                await r.ReadEchoAsync();
                continue;
            }

            // The suite is the echo: what the peer received goes back through it.
            await r.PeerReceivesAllSentAsync();
            await r.Peer.SendAsync(piece, r.CancellationToken);
            var echoed = await r.ButReceiveExactlyAsync(piece.Length);
            r.Expect(echoed.AsSpan().SequenceEqual(piece), $"the echo differs in the chunk at {at}");
        }

        r.Note(r.PeerIsEchoServer ? "echoed by the peer" : "echoed through the suite");
    }

    private static async Task I03Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        var end = await peerEnd;
        r.Expect(end.Observation == PeerObservation.CleanClose, $"the peer did not see a clean end: {end}");
        if (r.PeerProfile.Can(PeerAbilities.AnswersCloseNotify, r.PeerRole))
        {
            r.Expect(error is null, $"the shutdown failed: {error?.Kind}: {error?.Message}; {r.DescribeWire()}");
        }
        else
        {
            r.Expect(error?.Kind == TlsErrorKind.Truncated,
                "the peer closes without answering, so the shutdown must report Truncated; " +
                $"got {error?.Kind.ToString() ?? "success"}");
        }
    }

    private static async Task I04Async(ScenarioRun r)
    {
        // openssl s_server may close before its close_notify leaves (FACTS.md): the wire tells which it did.
        bool sServer = r.PeerProfile.Kind == PeerKind.OpenSsl && r.PeerRole == TlsRole.Server;
        var cannot = r.PeerProfile.WhyCannot(PeerAbilities.InitiatesCloseNotify, r.PeerRole);
        if (cannot is not null && !sServer)
        {
            throw r.Skip(cannot);
        }

        await r.ConnectAsync();
        await r.RoundTripAsync();
        long peerOffset = r.PeerWire.ByteCount;
        await r.Peer.BeginCloseAsync(r.CancellationToken);

        var (data, error) = await r.ButReadToEndAsync();
        await r.WaitForEndAsync(r.PeerWire);
        var last = r.PeerWire.Records.LastOrDefault(x => x.Offset >= peerOffset);
        bool closeNotifyCrossed = last is not null && !last.Truncated && WireAnalysis.IsAlertSized(last, r.Protocol);
        r.Note(closeNotifyCrossed ? "the peer's close_notify crossed the wire" : "the peer ended with a bare FIN");
        r.Expect(data.Length == 0, $"{data.Length} unexpected bytes");
        if (!closeNotifyCrossed)
        {
            r.Expect(error?.Kind == TlsErrorKind.Truncated,
                $"no close_notify crossed; receive gave {error?.Kind.ToString() ?? "end of stream"}, " +
                $"expected Truncated; {r.DescribeWire()}");
            return;
        }

        r.Expect(error is null, $"receive gave {error?.Kind}: {error?.Message}, expected end of stream");
        var shutdown = await r.ButShutdownAsync();
        r.Note(shutdown is null ? "the answering shutdown completed" : $"the answering shutdown: {shutdown.Kind}");
    }

    private static async Task I05Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long offset = r.ButWire.ByteCount;
        r.But.Close();
        var end = await r.PeerEndAsync();
        await r.WaitForEndAsync(r.ButWire);
        r.Expect(r.ButAlertsAfter(offset) == 0, $"an alert was sent on abort; {r.DescribeWire()}");
        r.Expect(end.Observation is PeerObservation.Truncated or PeerObservation.Reset,
            $"the peer saw {end}, expected truncation or a reset");
    }

    private static async Task I06Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        await r.Peer.AbortAsync();
        var (_, error) = await r.ButReadToEndAsync();
        r.Expect(error?.Kind is TlsErrorKind.Truncated or TlsErrorKind.TransportReset,
            $"receive gave {error?.Kind.ToString() ?? "end of stream"}, expected truncation or a reset; " +
            r.DescribeWire());
    }
}
