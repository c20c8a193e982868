using System.Text;
using Vtls.Conformance.External;
using Vtls.Conformance.Xunit;
using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.External;

/// <summary>
/// Pins what each external tool reports for each way a connection can end, against a counterpart the test drives
/// exactly (an in-box SslStream, or the recorder's faults). These are the readings the conformance verdicts rest
/// on: if a tool's output changes, these fail first.
/// </summary>
public class ExternalObservationTests(PemDirectory pem) : IClassFixture<PemDirectory>
{
    private static readonly TimeSpan Timeout = ExternalSession.Timeout;

    public static TheoryData<ExternalTool, TlsProtocols> Matrix => new()
    {
        { ExternalTool.OpenSsl, TlsProtocols.Tls13 },
        { ExternalTool.OpenSsl, TlsProtocols.Tls12 },
        { ExternalTool.GnuTls, TlsProtocols.Tls13 },
        { ExternalTool.GnuTls, TlsProtocols.Tls12 },
    };

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_ServerSendsCloseNotify_ObservesCleanCloseAndKeepsTheData(
        ExternalTool tool,
        TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);
        var data = Encoding.ASCII.GetBytes("hello from the server\n");

        await s.Ssl!.WriteAsync(data);
        await s.Ssl.ShutdownAsync();

        await ExpectAsync(ExternalObservation.CleanClose, s.Tool!, s);
        await WaitForReceivedAsync(s.Tool, data.Length);
        Assert.Equal(data, s.Tool.ReceivedData);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Server_ClientSendsCloseNotify_ObservesCleanClose(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);

        await s.Ssl!.ShutdownAsync();

        await ExpectAsync(ExternalObservation.CleanClose, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_BareFinAtRecordBoundary_ObservesTruncated(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);
        await s.Ssl!.WriteAsync(new byte[] { 1, 2, 3 });

        s.SendBareFin();

        await ExpectAsync(ExternalObservation.Truncated, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Server_BareFinAtRecordBoundary_ObservesTruncated(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);

        s.SendBareFin();

        await ExpectAsync(ExternalObservation.Truncated, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_FinInsideRecord_ObservesTruncated(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);

        // Until the tool has read our Finished, that record may still be on its way into the recorder, and a fault
        // armed now would cut it instead.
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        s.Recorder.Arm(s.TowardTool, new WireFault(WireFaultKind.FinInsideNextRecord));

        await s.Ssl!.WriteAsync(new byte[100]);

        await ExpectAsync(ExternalObservation.Truncated, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_Reset_ObservesReset(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);

        s.SendReset();

        await ExpectAsync(ExternalObservation.Reset, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Server_Reset_ObservesReset(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);

        s.SendReset();

        await ExpectAsync(ExternalObservation.Reset, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_UntrustedServer_ObservesCertificateRejected(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem, trustServer: false);

        await ExpectAsync(ExternalObservation.CertificateRejected, s.Tool!, s);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(Matrix))]
    public async Task Client_PeerSendsFatalAlertAfterHandshake_ObservesAlertReceived(
        ExternalTool tool,
        TlsProtocols version)
    {
        // s_server finds the corrupted record's MAC bad and sends bad_record_mac to the tool under test.
        await using var s = await ExternalSession.ToolPairAsync(tool, ExternalTool.OpenSsl, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        await ExternalSession.WaitForHandshakeAsync(s.OtherTool!);
        s.Recorder.Arm(WireDirection.ClientToServer, new WireFault(WireFaultKind.CorruptNextRecord));

        await s.Tool.WriteAsync(Encoding.ASCII.GetBytes("corrupt me\n"), CancellationToken.None);

        await ExpectAsync(ExternalObservation.AlertReceived, s.Tool!, s);
        await ExpectAsync(ExternalObservation.ProtocolError, s.OtherTool!, s);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls13)]
    [InlineData(TlsProtocols.Tls12)]
    public async Task GnuTlsServer_ClientSendsFatalAlertAfterHandshake_ObservesAlertReceived(TlsProtocols version)
    {
        // gnutls-serv echoes; the echo is corrupted toward s_client, which answers with bad_record_mac.
        await using var s = await ExternalSession.ToolPairAsync(
            ExternalTool.OpenSsl, ExternalTool.GnuTls, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        await ExternalSession.WaitForHandshakeAsync(s.OtherTool!);
        s.Recorder.Arm(WireDirection.ServerToClient, new WireFault(WireFaultKind.CorruptNextRecord));

        await s.Tool.WriteAsync(Encoding.ASCII.GetBytes("echo me\n"), CancellationToken.None);

        await ExpectAsync(ExternalObservation.ProtocolError, s.Tool!, s);
        await ExpectAsync(ExternalObservation.AlertReceived, s.OtherTool!, s);
    }

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls13, ExternalObservation.AlertReceived)]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls12, ExternalObservation.AlertReceived)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls12, ExternalObservation.AlertReceived)]
    // Measured: OpenSSL's TLS 1.3 client sends its certificate alert unencrypted; gnutls-serv cannot decrypt it and
    // reports a failed handshake instead of the alert.
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls13, ExternalObservation.HandshakeFailed)]
    public async Task Server_ClientRejectsCertificate_Observes(
        ExternalTool server,
        TlsProtocols version,
        ExternalObservation expected)
    {
        await using var s = await ExternalSession.ToolPairAsync(
            ExternalTool.OpenSsl, server, version, pem, trustServer: false);

        await ExpectAsync(ExternalObservation.CertificateRejected, s.Tool!, s);
        await ExpectAsync(expected, s.OtherTool!, s);
    }

    /// <summary>Asserts the observation, with the tool's output and the wire in the message if it differs.</summary>
    private static async Task ExpectAsync(ExternalObservation expected, ExternalTlsProcess tool, ExternalSession s)
    {
        var seen = await tool.WaitForObservationAsync(Timeout);
        Assert.True(
            seen == expected,
            $"{tool}: expected {expected}, saw {seen}. Wire: {s.Recorder}. Output: {Tail(tool.Output)}");
    }

    private static string Tail(string text) => text.Length <= 1500 ? text : "..." + text[^1500..];

    private static async Task WaitForReceivedAsync(ExternalTlsProcess tool, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (tool.ReceivedData.Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
