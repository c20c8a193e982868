using Vtls.Tests.Infrastructure;

namespace Vtls.Tests;

/// <summary>
/// The status lines <c>connect</c> and <c>serve</c> print on standard error: what was negotiated after the
/// handshake, and the close_notify line only for a session that was established.
/// </summary>
public sealed class SessionStatusTests
{
    // A well-formed pin that matches no key.
    private const string WrongPin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    public static TheoryData<string, string> BackendPairs => new()
    {
        { "sslstream", "sslstream" },
        { "sslstream", "bouncycastle" },
        { "bouncycastle", "sslstream" },
        { "bouncycastle", "bouncycastle" },
    };

    [Theory]
    [MemberData(nameof(BackendPairs))]
    public async Task ConnectAndServe_Alpn_BothPrintTheNegotiatedSummary(string client, string server)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "--alpn", "h2", "-b", server);
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "--alpn", "h2", "-b", client);

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Equal(0, await serve.WaitForExitAsync());
        Assert.Matches(@"\* connected to 127\.0\.0\.1:\d+ with \w+: TLS 1\.[23], \S+, ALPN h2\n", connect.Error.Text);
        Assert.Matches(@"\* handshake with \S+ done: TLS 1\.[23], \S+, ALPN h2\n", serve.Error.Text);
    }

    [Theory]
    [InlineData("sslstream")]
    [InlineData("bouncycastle")]
    public async Task Connect_AlpnTheServerDoesNotAgree_SaysNoneWasAgreed(string client)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once");
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "--alpn", "h2", "-b", client);

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Matches(@"\* connected to 127\.0\.0\.1:\d+ with \w+: TLS 1\.[23], \S+, no ALPN agreed\n",
            connect.Error.Text);
        Assert.DoesNotContain("ALPN", serve.Error.Text);
    }

    [Theory]
    [InlineData("sslstream", "sslstream", "1.2")]
    [InlineData("sslstream", "sslstream", "1.3")]
    [InlineData("bouncycastle", "sslstream", "1.2")]
    [InlineData("bouncycastle", "sslstream", "1.3")]
    [InlineData("sslstream", "bouncycastle", "1.2")]
    [InlineData("sslstream", "bouncycastle", "1.3")]
    [InlineData("bouncycastle", "bouncycastle", "1.2")]
    [InlineData("bouncycastle", "bouncycastle", "1.3")]
    public async Task Connect_PinMismatch_PrintsCloseNotifyLineOnlyAfterAHandshake(
        string client,
        string server,
        string version)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "-b", server);
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--pin", WrongPin, "-b", client, "--tls", version);

        Assert.Equal(4, await connect.WaitForExitAsync());
        Assert.NotEqual(0, await serve.WaitForExitAsync());
        Assert.Contains("certificate rejected", connect.Error.Text);
        Assert.DoesNotContain("close_notify:", connect.Error.Text);

        // The server's side of the handshake completes when the client checks the certificate only after its
        // Finished (sslstream does, and then closes without an alert); only then is there a session to report on.
        Assert.Equal(serve.Error.Text.Contains(" done: TLS"), serve.Error.Text.Contains("close_notify:"));
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("serve")]
    public async Task Help_ConnectAndServe_SayWhenTheCloseNotifyLineIsPrinted(string command)
    {
        await using var run = await VtlsRun.RunAsync(command, "--help");

        Assert.Equal(0, await run.Exit);
        Assert.Contains("not after a failed handshake", run.Output.Text);
        Assert.Contains("ALPN", run.Output.Text);
    }
}
