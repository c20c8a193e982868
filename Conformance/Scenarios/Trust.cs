using System.Net;
using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Pki;
using Vtls.Conformance.Running;
using static Vtls.Conformance.Catalogue.ScenarioCatalogue;

namespace Vtls.Conformance.Scenarios;

/// <summary>
/// Group V: every backend verifies the server by default, through the shared <see cref="CertificateVerifier"/>.
/// The backend under test is the client; the peer presents the certificate.
/// </summary>
internal static class TrustScenarios
{
    public static IEnumerable<Scenario> All =>
    [
        Define("V01", "server certificate from an untrusted root", "RFC 5280, 6.1",
            "connect fails with a certificate error; no close_notify sent", V01Async, ScenarioRoles.Client),
        Define("V02", "name mismatch, including wildcard rules", "RFC 6125, 6.4.3",
            "certificate error (a wildcard matches one label only)", V02Async, ScenarioRoles.Client),
        Define("V03", "expired or not yet valid", "RFC 5280, 4.1.2.5",
            "certificate error", V03Async, ScenarioRoles.Client),
        Define("V04", "trust a given root, or pin a public key", "RFC 5280, 6.1; RFC 7469, 2.4",
            "connect succeeds", V04Async, ScenarioRoles.Client),
        Define("V05", "verification explicitly turned off", "DESIGN.md 2 (options: trust)",
            "connect succeeds, and the trace says verification is off", V05Async, ScenarioRoles.Client),
    ];

    private static async Task V01Async(ScenarioRun r)
    {
        var stranger = r.Resources.Certificate("untrusted", _ => TestPki.CreateSelfSigned(TestPki.ServerName));
        await ExpectRejectedAsync(r, new ConnectSetup
        {
            PeerServerCertificate = stranger,
            PeerServerCertificateName = "untrusted",
            Handshake = false,
        });
    }

    private static async Task V02Async(ScenarioRun r)
    {
        var wrong = r.Resources.Certificate("wrong-name", pki => pki.IssueServer(["wrong.example.test"]));
        await ExpectRejectedAsync(r, new ConnectSetup
        {
            PeerServerCertificate = wrong,
            PeerServerCertificateName = "wrong-name",
            Handshake = false,
        });

        // RFC 6125, 6.4.3: "the client SHOULD NOT attempt to match a presented identifier where the wildcard
        // character is embedded within an A-label" - and a wildcard stands for exactly one left-most label.
        // https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3
        var wildcard = r.Resources.Certificate("wildcard", pki => pki.IssueServer(["*.example.test"]));
        var wildcardSetup = new ConnectSetup
        {
            PeerServerCertificate = wildcard,
            PeerServerCertificateName = "wildcard",
            Handshake = false,
        };
        await r.ReconnectAsync(wildcardSetup with { ButServerName = "a.b.example.test" });
        await ExpectConnectRejectedAsync(r, "a wildcard matching two labels");

        await r.ReconnectAsync(wildcardSetup with { ButServerName = "www.example.test" });
        await ExpectConnectSucceedsAsync(r, "the same wildcard certificate for one label (control)");
    }

    private static async Task V03Async(ScenarioRun r)
    {
        var now = DateTimeOffset.UtcNow;
        var expired = r.Resources.Certificate("expired", pki => pki.IssueServer(
            [TestPki.ServerName], [IPAddress.Loopback], now.AddDays(-30), now.AddDays(-1)));
        await ExpectRejectedAsync(r, new ConnectSetup
        {
            PeerServerCertificate = expired,
            PeerServerCertificateName = "expired",
            Handshake = false,
        });

        var early = r.Resources.Certificate("not-yet-valid", pki => pki.IssueServer(
            [TestPki.ServerName], [IPAddress.Loopback], now.AddDays(1), now.AddDays(30)));
        await r.ReconnectAsync(new ConnectSetup
        {
            PeerServerCertificate = early,
            PeerServerCertificateName = "not-yet-valid",
            Handshake = false,
        });
        await ExpectConnectRejectedAsync(r, "a certificate not yet valid");
    }

    private static async Task V04Async(ScenarioRun r)
    {
        await r.ConnectAsync(new ConnectSetup { Handshake = false });
        await ExpectConnectSucceedsAsync(r, "the test root as a given root");

        await r.ReconnectAsync(new ConnectSetup
        {
            ButTrust = TlsTrust.PinnedPublicKey(r.Resources.Pki.Server),
            ButServerName = null,
            Handshake = false,
        });
        await ExpectConnectSucceedsAsync(r, "the server's pinned public key");
    }

    private static async Task V05Async(ScenarioRun r)
    {
        var stranger = r.Resources.Certificate("untrusted", _ => TestPki.CreateSelfSigned(TestPki.ServerName));
        await r.ConnectAsync(new ConnectSetup
        {
            PeerServerCertificate = stranger,
            PeerServerCertificateName = "untrusted",
            ButTrust = TlsTrust.InsecureSkipVerification(),
            Handshake = false,
        });
        await ExpectConnectSucceedsAsync(r, "verification turned off");
        bool traced = r.Logs.Lines.Any(line =>
            line.Contains("verification", StringComparison.OrdinalIgnoreCase)
            && line.Contains("off", StringComparison.OrdinalIgnoreCase));
        r.Expect(traced, "the trace does not say that certificate verification is off");
    }

    private static async Task ExpectRejectedAsync(ScenarioRun r, ConnectSetup setup)
    {
        await r.ConnectAsync(setup);
        await ExpectConnectRejectedAsync(r, setup.PeerServerCertificateName);
    }

    private static async Task ExpectConnectRejectedAsync(ScenarioRun r, string what)
    {
        try
        {
            await r.But.ConnectAsync(r.CancellationToken);
            throw r.Fail($"connect succeeded with {what}");
        }
        catch (TlsException e)
        {
            r.Expect(e.Kind == TlsErrorKind.Certificate,
                $"connect with {what} failed as {e.Kind} ({e.Message}), expected Certificate");
        }

        r.Note($"{what}: rejected");
        await r.WaitForEndAsync(r.ButWire);

        // The handshake's own fatal alert may be there; a close_notify after it must not.
        int alerts = r.ButAlertsAfter(0);
        r.Expect(alerts <= 1,
            $"{alerts} alerts after a rejected certificate: a close_notify was sent; {r.DescribeWire()}");
    }

    private static async Task ExpectConnectSucceedsAsync(ScenarioRun r, string what)
    {
        await r.HandshakeAsync();
        await r.RoundTripAsync();
        r.Note($"{what}: accepted");
    }
}
