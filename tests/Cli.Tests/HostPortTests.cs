using System.Net;
using Vtls.Cli;

namespace Vtls.Tests;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("example.com:443", "example.com", 443, false)]
    [InlineData("127.0.0.1:4433", "127.0.0.1", 4433, true)]
    [InlineData("[::1]:443", "::1", 443, true)]
    [InlineData("[2001:db8::1]:8443", "2001:db8::1", 8443, true)]
    [InlineData("localhost:1", "localhost", 1, false)]
    [InlineData("localhost:65535", "localhost", 65535, false)]
    public void Parse_ValidTarget_GivesHostPortAndLiteral(string text, string host, int port, bool literal)
    {
        var target = HostPort.Parse(text);

        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
        Assert.Equal(literal, target.IsIpLiteral);
    }

    [Fact]
    public void Parse_IPv6Literal_KeepsAddressAndFormatsWithBrackets()
    {
        var target = HostPort.Parse("[::1]:443");

        Assert.Equal(IPAddress.IPv6Loopback, target.Address);
        Assert.Equal("[::1]:443", target.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("example.com:")]
    [InlineData(":443")]
    [InlineData("example.com:0")]
    [InlineData("example.com:65536")]
    [InlineData("example.com:https")]
    [InlineData("example.com:-1")]
    [InlineData("::1:443")]
    [InlineData("[::1]443")]
    [InlineData("[::1]")]
    [InlineData("[example.com]:443")]
    [InlineData("[127.0.0.1]:443")]
    public void Parse_InvalidTarget_ThrowsUsageErrorThatShowsTheForm(string text)
    {
        var error = Assert.Throws<UsageException>(() => HostPort.Parse(text));

        Assert.Matches("HOST:PORT|brackets|port|\\[::1\\]", error.Message);
    }

    [Fact]
    public void ParsePort_ZeroAllowedForListening_IsAccepted()
    {
        Assert.Equal(0, HostPort.ParsePort("0", allowZero: true, what: "PORT"));
        Assert.Throws<UsageException>(() => HostPort.ParsePort("0", allowZero: false, what: "port"));
    }
}
