using Vtls.Conformance.External;
using Vtls.Conformance.Xunit;
using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.External;

/// <summary>
/// Pins the tools' own shutdown behaviour (FACTS.md), read off the wire by the recorder: these are the peer's
/// quirks that the conformance verdicts must not blame on the backend.
/// </summary>
public class ExternalToolBehaviourTests(PemDirectory pem) : IClassFixture<PemDirectory>
{
    private static readonly TimeSpan Timeout = ExternalSession.Timeout;

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls13)]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls12)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls13)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls12)]
    public async Task ClientCloseInput_SendsOneCloseNotifyThenFin(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        long offset = s.Recorder.ClientToServer.ByteCount;

        await s.Tool.CloseInputAsync();

        Assert.Empty(await s.ReadAsync(1));
        Assert.NotNull(await s.Tool.WaitForExitAsync(Timeout));
        await WaitForEndAsync(s.Recorder.ClientToServer);
        Assert.Equal(1, WireAnalysis.CountAlertSizedRecordsAfter(s.Recorder.ClientToServer, offset, version));
        Assert.Equal(StreamEnd.Fin, s.Recorder.ClientToServer.End);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls13)]
    [InlineData(TlsProtocols.Tls12)]
    public async Task OpenSslServerCloseInput_SendsCloseNotifyThenFinWithoutWaiting(TlsProtocols version)
    {
        // Differs from FACTS.md (verbose mode closes the socket before the close_notify leaves): in the quiet mode
        // the suite uses, the close_notify is on the wire.
        await using var s = await ExternalSession.ToolServerAsync(ExternalTool.OpenSsl, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        await s.Tool.WriteAsync("data\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(5, (await s.ReadAsync(5)).Length);
        long offset = s.Recorder.ServerToClient.ByteCount;

        await s.Tool.CloseInputAsync();

        Assert.Empty(await s.ReadAsync(1));
        Assert.NotNull(await s.Tool.WaitForExitAsync(Timeout));
        await WaitForEndAsync(s.Recorder.ServerToClient);
        Assert.Equal(1, WireAnalysis.CountAlertSizedRecordsAfter(s.Recorder.ServerToClient, offset, version));
        Assert.Equal(StreamEnd.Fin, s.Recorder.ServerToClient.End);
        Assert.Equal(ExternalObservation.None, await s.Tool.WaitForObservationAsync(TimeSpan.FromSeconds(1)));
    }

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls13)]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls12)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls13)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls12)]
    public async Task ServerAbort_ClosesWithBareFinAndNoAlert(ExternalTool tool, TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        long offset = s.Recorder.ServerToClient.ByteCount;

        await s.Tool.AbortAsync();

        await WaitForEndAsync(s.Recorder.ServerToClient);
        Assert.Equal(0, WireAnalysis.CountAlertSizedRecordsAfter(s.Recorder.ServerToClient, offset, version));
        Assert.Equal(StreamEnd.Fin, s.Recorder.ServerToClient.End);
        Assert.True(s.Tool.HasExited);
    }

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls13, 1)]
    [InlineData(ExternalTool.OpenSsl, TlsProtocols.Tls12, 1)]
    // gnutls-cli closes TCP on close_notify without answering it.
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls13, 0)]
    [InlineData(ExternalTool.GnuTls, TlsProtocols.Tls12, 0)]
    public async Task Client_ReceivesCloseNotify_AnswersAsMeasured(ExternalTool tool, TlsProtocols version, int answers)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, version, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        long offset = s.Recorder.ClientToServer.ByteCount;

        await s.Ssl!.ShutdownAsync();

        await WaitForEndAsync(s.Recorder.ClientToServer);
        Assert.Equal(answers, WireAnalysis.CountAlertSizedRecordsAfter(s.Recorder.ClientToServer, offset, version));
        Assert.Equal(StreamEnd.Fin, s.Recorder.ClientToServer.End);
    }

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl)]
    [InlineData(ExternalTool.GnuTls)]
    public async Task ClientWriteAsync_BinaryData_ArrivesIntactAndReceivedDataIsExactlyThePeersBytes(ExternalTool tool)
    {
        await using var s = await ExternalSession.ToolClientAsync(tool, TlsProtocols.Tls13, pem);
        await ExternalSession.WaitForHandshakeAsync(s.Tool);
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await s.Tool.WriteAsync(all, CancellationToken.None);
        var atServer = await s.ReadAsync(all.Length);
        await s.Ssl!.WriteAsync(all);
        await WaitForReceivedAsync(s.Tool, all.Length);

        Assert.Equal(all, atServer);
        Assert.Equal(all, s.Tool.ReceivedData);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls13)]
    [InlineData(TlsProtocols.Tls12)]
    public async Task OpenSslServer_DataBothWays_ReceivedDataIsExactlyThePeersBytes(TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(ExternalTool.OpenSsl, version, pem);
        var data = "Q\nq\nR\nnot a command\n"u8.ToArray();

        await s.Ssl!.WriteAsync(data);
        await s.Tool.WriteAsync(data, CancellationToken.None);
        var atClient = await s.ReadAsync(data.Length);
        await WaitForReceivedAsync(s.Tool, data.Length);

        Assert.Equal(data, atClient);
        Assert.Equal(data, s.Tool.ReceivedData);
        Assert.False(s.Tool.HasExited);
    }

    [ExternalPeersTheory]
    [InlineData(TlsProtocols.Tls13)]
    [InlineData(TlsProtocols.Tls12)]
    public async Task GnuTlsServer_CannotSendButEchoes(TlsProtocols version)
    {
        await using var s = await ExternalSession.ToolServerAsync(ExternalTool.GnuTls, version, pem);
        var data = "echo this\n"u8.ToArray();

        await s.Ssl!.WriteAsync(data);

        Assert.Equal(data, await s.ReadAsync(data.Length));
        Assert.False(s.Tool.CanSend);
        await Assert.ThrowsAsync<NotSupportedException>(() => s.Tool.WriteAsync(data, CancellationToken.None));
        Assert.Empty(s.Tool.ReceivedData);
    }

    [ExternalPeersTheory]
    [InlineData(ExternalTool.OpenSsl)]
    [InlineData(ExternalTool.GnuTls)]
    public async Task DisposeAsync_RunningServer_KillsItPromptly(ExternalTool tool)
    {
        var process = await ExternalTlsProcess.StartServerAsync(
            tool, pem.Pem, TlsProtocols.Tls13, CancellationToken.None);

        await process.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.True(process.HasExited);
    }

    private static async Task WaitForEndAsync(WireDirectionLog log)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (log.End == StreamEnd.Open && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static async Task WaitForReceivedAsync(ExternalTlsProcess tool, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (tool.ReceivedData.Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
