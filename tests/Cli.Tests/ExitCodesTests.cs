using System.Net.Sockets;
using Vtls.Cli;

namespace Vtls.Tests;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(TlsErrorKind.Truncated, 3)]
    [InlineData(TlsErrorKind.Certificate, 4)]
    [InlineData(TlsErrorKind.Handshake, 5)]
    [InlineData(TlsErrorKind.AlertReceived, 5)]
    [InlineData(TlsErrorKind.Protocol, 5)]
    [InlineData(TlsErrorKind.Timeout, 6)]
    [InlineData(TlsErrorKind.Transport, 7)]
    [InlineData(TlsErrorKind.TransportReset, 7)]
    [InlineData(TlsErrorKind.Misuse, 2)]
    public void FromException_TlsExceptionKind_MapsToDocumentedCode(TlsErrorKind kind, int expected)
    {
        var error = new TlsException(kind, "test");

        Assert.Equal(expected, ExitCodes.FromException(error));
        Assert.Equal(expected, ExitCodes.FromKind(kind));
    }

    [Fact]
    public void FromKind_EveryKind_HasACodeOtherThanSuccess()
    {
        foreach (var kind in Enum.GetValues<TlsErrorKind>())
        {
            Assert.NotEqual(ExitCodes.Clean, ExitCodes.FromKind(kind));
        }
    }

    [Fact]
    public void FromException_UsageError_IsTwo()
    {
        Assert.Equal(2, ExitCodes.FromException(new UsageException("bad")));
    }

    [Fact]
    public void FromException_SocketErrors_AreTransportOrTimeout()
    {
        Assert.Equal(7, ExitCodes.FromException(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.Equal(6, ExitCodes.FromException(new SocketException((int)SocketError.TimedOut)));
        Assert.Equal(7, ExitCodes.FromException(new IOException("broken pipe")));
    }

    [Fact]
    public void HelpSection_ListsEveryCode()
    {
        foreach (var code in new[] { "0 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "130" })
        {
            Assert.Contains("  " + code, ExitCodes.HelpSection);
        }
    }
}
