using System.Security.Cryptography;
using Vtls.Cli;
using Vtls.Cli.Certificates;

namespace Vtls.Tests;

public sealed class PublicKeyPinsTests
{
    [Fact]
    public void Parse_FormattedPin_RoundTrips()
    {
        byte[] digest = SHA256.HashData("key"u8);

        var pins = PublicKeyPins.Parse([PublicKeyPins.Format(digest)]);

        Assert.Equal(digest, Assert.Single(pins));
    }

    [Fact]
    public void Parse_SeveralPinsJoinedAndRepeated_GivesAll()
    {
        string a = PublicKeyPins.Format(SHA256.HashData("a"u8));
        string b = PublicKeyPins.Format(SHA256.HashData("b"u8));
        string c = PublicKeyPins.Format(SHA256.HashData("c"u8));

        var pins = PublicKeyPins.Parse([$"{a};{b}", c]);

        Assert.Equal(3, pins.Length);
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("sha1//AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sha256//not base64!")]
    [InlineData("sha256//AAAA")]
    [InlineData("sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Parse_MalformedPin_ThrowsUsageError(string pin)
    {
        Assert.Throws<UsageException>(() => PublicKeyPins.Parse([pin]));
    }
}
