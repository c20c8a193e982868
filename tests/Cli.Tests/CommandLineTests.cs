using Vtls.Tests.Infrastructure;

namespace Vtls.Tests;

/// <summary>Argument validation: every wrong command line exits 2 with a message that says what to change.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("has no port", "connect", "example.com")]
    [InlineData("brackets", "connect", "::1:443")]
    [InlineData("cannot be combined", "connect", "example.com:443", "--ca", "ca.pem", "--insecure")]
    [InlineData("cannot be combined", "connect", "example.com:443", "--pin", "sha256//x", "-k")]
    [InlineData("either --ca", "connect", "example.com:443", "--ca", "ca.pem", "--pin", "sha256//x")]
    [InlineData("--cert needs --key", "connect", "example.com:443", "--cert", "client.pem")]
    [InlineData("--key needs --cert", "connect", "example.com:443", "--key", "client.key")]
    [InlineData("sha256//", "connect", "example.com:443", "--pin", "AAAA")]
    [InlineData("Cannot load the CA certificate", "connect", "example.com:443", "--ca", "/nonexistent/ca.pem")]
    [InlineData("--timeout", "connect", "example.com:443", "--timeout", "0")]
    [InlineData("1.2", "connect", "example.com:443", "--tls", "1.1")]
    [InlineData("PORT must be a number", "serve", "70000")]
    [InlineData("either as --cert and --key or as --pfx", "serve", "0", "--pfx", "a.pfx", "--cert", "b", "--key", "c")]
    [InlineData("--password is the password of --pfx", "serve", "0", "--password", "secret")]
    [InlineData("'/nonexistent/server.pfx': the file was not found", "serve", "0", "--pfx", "/nonexistent/server.pfx")]
    [InlineData("No scenario or group 'Z99'", "conformance", "--scenario", "Z99")]
    [InlineData("Unrecognized command or argument", "frobnicate")]
    public async Task Run_InvalidCommandLine_ExitsTwoWithMessage(string message, params string[] args)
    {
        await using var run = await VtlsRun.RunAsync(args);

        Assert.Equal(2, await run.Exit);
        Assert.Contains(message, run.Error.Text);
    }

    [Theory]
    [InlineData("connect", "example.com:443")]
    [InlineData("serve", "0")]
    [InlineData("conformance")]
    public async Task Run_UnknownBackend_ExitsTwoAndListsTheAvailableOnes(params string[] args)
    {
        await using var run = await VtlsRun.RunAsync([.. args, "--backend", "nosuchtls"]);

        Assert.Equal(2, await run.Exit);
        Assert.Contains("nosuchtls", run.Error.Text);
        Assert.Contains("sslstream", run.Error.Text);
        Assert.Contains("bouncycastle", run.Error.Text);
    }

    [Theory]
    [InlineData("conformance", "--peer", "nosuch")]
    [InlineData("conformance", "--peer", "nosuch", "--list")]
    public async Task Conformance_UnknownPeer_ExitsTwoAndListsEveryPeer(params string[] args)
    {
        await using var run = await VtlsRun.RunAsync(args);

        Assert.Equal(2, await run.Exit);
        Assert.Contains("'nosuch'", run.Error.Text);
        foreach (string peer in new[] { "sslstream", "bouncycastle", "openssl", "gnutls" })
        {
            Assert.Contains(peer, run.Error.Text);
        }

        Assert.Equal("", run.Output.Text);
    }

    [Fact]
    public async Task ConformanceList_UnknownBackend_ExitsTwo()
    {
        await using var run = await VtlsRun.RunAsync("conformance", "--backend", "nosuchtls", "--list");

        Assert.Equal(2, await run.Exit);
        Assert.Contains("nosuchtls", run.Error.Text);
        Assert.Equal("", run.Output.Text);
    }

    [Fact]
    public async Task Backends_Always_ListsEveryBackendWithVersionAndFeatures()
    {
        await using var run = await VtlsRun.RunAsync("backends");

        Assert.Equal(0, await run.Exit);
        var lines = run.Output.Text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("sslstream ", StringComparison.Ordinal) && l.Contains("tls1.3"));
        Assert.Contains(lines, l => l.StartsWith("bouncycastle ", StringComparison.Ordinal) && l.Contains("tls1.2"));
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("serve")]
    public async Task Help_ConnectAndServe_DocumentTheExitCodes(string command)
    {
        await using var run = await VtlsRun.RunAsync(command, "--help");

        Assert.Equal(0, await run.Exit);
        Assert.Contains("--abort", run.Output.Text);
        Assert.Contains("Exit codes:", run.Output.Text);
        Assert.Contains("truncated", run.Output.Text);
    }

    [Fact]
    public async Task ConformanceList_Always_ListsTheCatalogue()
    {
        await using var run = await VtlsRun.RunAsync("conformance", "--list");

        Assert.Equal(0, await run.Exit);
        Assert.Contains("S01", run.Output.Text);
        Assert.Contains("RFC", run.Output.Text);
    }
}
