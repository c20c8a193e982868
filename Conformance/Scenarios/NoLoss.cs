using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Running;
using Vtls.Conformance.Wire;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group N: a graceful end loses nothing and makes no TCP reset.
/// RFC 2525, 2.17: a host that closes with unread received data sends a RST, and the peer may lose data it had not
/// read yet.
/// https://www.rfc-editor.org/rfc/rfc2525#section-2.17
/// </summary>
internal static class NoLossScenarios
{
    public static IEnumerable<Scenario> All =>
    [
        Define("N01", "both sides shut down gracefully", "RFC 8446, 6.1; RFC 2525, 2.17",
            "each side's socket ends with FIN, never RST, in both directions", N01Async,
            needs: PeerAbilities.AnswersCloseNotify),
        Define("N02", "the backend shuts down with unread bytes in its socket buffer",
            "RFC 2525, 2.17; DESIGN.md 2, rule 3",
            "the bytes are drained first, so the kernel sends no RST", N02Async,
            needs: PeerAbilities.SendsOnDemand | PeerAbilities.AnswersCloseNotify),
    ];

    private static async Task N01Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        await peerEnd;
        r.Expect(error is null, $"the shutdown failed: {error?.Kind}: {error?.Message}");
        await ExpectFinBothWaysAsync(r);
    }

    private static async Task N02Async(ScenarioRun r)
    {
        await r.ConnectAsync();
        await r.RoundTripAsync();
        long peerOffset = r.PeerWire.ByteCount;
        var unread = ScenarioRun.Payload(64 * 1024, seed: 2);
        await r.Peer.SendAsync(unread, r.CancellationToken);
        var deadline = DateTime.UtcNow + ScenarioRun.StepTimeout;
        while (r.PeerWire.ByteCount - peerOffset < unread.Length && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, r.CancellationToken);
        }

        await r.SettleAsync(r.PeerWire);
        var peerEnd = r.PeerEndAsync();
        var error = await r.ButShutdownAsync();
        await peerEnd;
        r.Expect(error is null, $"the shutdown failed: {error?.Kind}: {error?.Message}");
        await ExpectFinBothWaysAsync(r);
    }

    private static async Task ExpectFinBothWaysAsync(ScenarioRun r)
    {
        r.But.Close();
        await r.WaitForEndAsync(r.ButWire);
        await r.Peer.AbortAsync();
        await r.WaitForEndAsync(r.PeerWire);
        r.Expect(r.ButWire.End == StreamEnd.Fin, $"the backend's socket ended with {r.ButWire.End}, expected FIN");
        r.Expect(r.PeerWire.End == StreamEnd.Fin, $"the peer's socket ended with {r.PeerWire.End}, expected FIN");
    }
}
