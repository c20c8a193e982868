using Vtls.Conformance.External;
using static Vtls.Tests.External.ToolOutputSamples;

namespace Vtls.Tests.External;

/// <summary>The parser against real tool output (<see cref="ToolOutputSamples"/>), without running the tools.</summary>
public class ExternalOutputParserTests
{
    [Theory]
    [InlineData(OpenSslCloseNotify, ExternalObservation.CleanClose)]
    [InlineData(OpenSslUnexpectedEof, ExternalObservation.Truncated)]
    [InlineData(OpenSslReset, ExternalObservation.Reset)]
    [InlineData(OpenSslFatalAlert, ExternalObservation.AlertReceived)]
    [InlineData(OpenSslBadRecordMac, ExternalObservation.ProtocolError)]
    [InlineData(OpenSslUserCanceledThenClose, ExternalObservation.CleanClose)]
    public void Parse_OpenSslAfterHandshake_ReadsTheObservation(string output, ExternalObservation expected)
    {
        Assert.Equal(expected, ExternalOutputParser.Parse(ExternalTool.OpenSsl, OpenSslHandshake + output, false));
    }

    [Theory]
    [InlineData(OpenSslCertificateRejected, ExternalObservation.CertificateRejected)]
    [InlineData(OpenSslUnknownCaReceived, ExternalObservation.AlertReceived)]
    [InlineData(OpenSslUnsupportedProtocol, ExternalObservation.HandshakeFailed)]
    public void Parse_OpenSslDuringHandshake_ReadsTheObservation(string output, ExternalObservation expected)
    {
        Assert.Equal(expected, ExternalOutputParser.Parse(ExternalTool.OpenSsl, output, false));
    }

    [Fact]
    public void Parse_OpenSslServerExitedSilentlyAfterHandshake_IsResetOnlyIfItEndedOnItsOwn()
    {
        // s_server -quiet prints nothing when its peer resets the connection; it just exits.
        var onItsOwn = ExternalOutputParser.Parse(ExternalTool.OpenSsl, OpenSslHandshake, exitedOnItsOwn: true);
        var ourDoing = ExternalOutputParser.Parse(ExternalTool.OpenSsl, OpenSslHandshake, exitedOnItsOwn: false);

        Assert.Equal(ExternalObservation.Reset, onItsOwn);
        Assert.Equal(ExternalObservation.None, ourDoing);
    }

    [Theory]
    [InlineData(GnuTlsCloseNotifyReceived, ExternalObservation.CleanClose)]
    [InlineData(GnuTlsCliPeerClosed, ExternalObservation.CleanClose)]
    [InlineData(GnuTlsCliTruncated, ExternalObservation.Truncated)]
    [InlineData(GnuTlsServTruncated, ExternalObservation.Truncated)]
    [InlineData(GnuTlsCliFinInsideRecord, ExternalObservation.Truncated)]
    [InlineData(GnuTlsCliReset, ExternalObservation.Reset)]
    [InlineData(GnuTlsServReset, ExternalObservation.Reset)]
    [InlineData(GnuTlsCliAlert, ExternalObservation.AlertReceived)]
    [InlineData(GnuTlsServAlert, ExternalObservation.AlertReceived)]
    [InlineData(GnuTlsDecryptionFailed, ExternalObservation.ProtocolError)]
    [InlineData(GnuTlsUserCanceledThenClose, ExternalObservation.CleanClose)]
    public void Parse_GnuTlsAfterHandshake_ReadsTheObservation(string output, ExternalObservation expected)
    {
        Assert.Equal(expected, ExternalOutputParser.Parse(ExternalTool.GnuTls, GnuTlsHandshake + output, false));
    }

    [Theory]
    [InlineData(GnuTlsCliCertificateRejected, ExternalObservation.CertificateRejected)]
    [InlineData(GnuTlsServUnknownCaReceived, ExternalObservation.AlertReceived)]
    [InlineData(GnuTlsServHandshakeDecryptionFailed, ExternalObservation.HandshakeFailed)]
    public void Parse_GnuTlsDuringHandshake_ReadsTheObservation(string output, ExternalObservation expected)
    {
        Assert.Equal(expected, ExternalOutputParser.Parse(ExternalTool.GnuTls, output, false));
    }

    [Fact]
    public void Parse_NothingYet_IsNone()
    {
        Assert.Equal(ExternalObservation.None, ExternalOutputParser.Parse(ExternalTool.GnuTls, GnuTlsHandshake, true));
        Assert.Equal(ExternalObservation.None, ExternalOutputParser.Parse(ExternalTool.OpenSsl, "", false));
    }

    [Fact]
    public void IsHandshakeDone_OnlyWithBothFinishedMessages()
    {
        var openSslHalf = OpenSslHandshake.Split('\n')[0];
        var gnuTlsHalf = GnuTlsHandshake.Split('\n')[0];

        Assert.True(ExternalOutputParser.IsHandshakeDone(ExternalTool.OpenSsl, OpenSslHandshake));
        Assert.True(ExternalOutputParser.IsHandshakeDone(ExternalTool.GnuTls, GnuTlsHandshake));
        Assert.False(ExternalOutputParser.IsHandshakeDone(ExternalTool.OpenSsl, openSslHalf));
        Assert.False(ExternalOutputParser.IsHandshakeDone(ExternalTool.GnuTls, gnuTlsHalf));
    }
}
