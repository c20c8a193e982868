using System.Net;
using System.Net.Sockets;
using System.Text;
using Vtls.Conformance.Pki;
using Vtls.Tests.Infrastructure;

namespace Vtls.Tests;

/// <summary>
/// <c>vtls connect</c> against <c>vtls serve</c>, both in-process on loopback: what each side reports, and the exit
/// codes a script would act on.
/// </summary>
public sealed class ConnectServeTests
{
    public static TheoryData<string, string> BackendPairs => new()
    {
        { "sslstream", "sslstream" },
        { "sslstream", "bouncycastle" },
        { "bouncycastle", "sslstream" },
        { "bouncycastle", "bouncycastle" },
    };

    [Theory]
    [MemberData(nameof(BackendPairs))]
    public async Task ConnectToServe_GracefulEnd_BothSeeCloseNotifyAndExitZero(string client, string server)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "--echo", "-b", server);
        int port = await serve.ListeningPortAsync();
        var input = new HeldInput(Encoding.UTF8.GetBytes("hello vtls\n"));

        await using var connect = VtlsRun.Start(
            input, "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "-b", client);
        await connect.Output.WaitForAsync("hello vtls\n", VtlsRun.Patience);
        input.End();

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Equal(0, await serve.WaitForExitAsync());
        Assert.Contains("peer's close_notify: received", connect.Error.Text);
        Assert.Contains("peer's close_notify: received", serve.Error.Text);
    }

    [Theory]
    [MemberData(nameof(BackendPairs))]
    public async Task Connect_Abort_ServeReportsTruncation(string client, string server)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "-b", server);
        int port = await serve.ListeningPortAsync();

        var input = new HeldInput(Encoding.UTF8.GetBytes("last words"));
        await using var connect = VtlsRun.Start(
            input, "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "--abort", "-b", client);

        // The input ends once the server has the data, so whatever the server sent after its handshake (TLS 1.3
        // session tickets) was read and the close is a FIN; unread bytes would make the kernel send a reset.
        await serve.Output.WaitForAsync("last words", VtlsRun.Patience);
        input.End();

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Equal(3, await serve.WaitForExitAsync());
        Assert.Equal("last words", serve.Output.Text);
        Assert.Contains("peer's close_notify: NOT received", serve.Error.Text);
    }

    [Theory]
    [MemberData(nameof(BackendPairs))]
    public async Task Serve_Abort_ConnectReportsTruncation(string client, string server)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "--abort", "-b", server);
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "data", "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "-b", client);

        Assert.Equal(3, await connect.WaitForExitAsync());
        Assert.Equal(0, await serve.WaitForExitAsync());
        Assert.Contains("truncated", connect.Error.Text);
        Assert.Contains("peer's close_notify: NOT received", connect.Error.Text);
        Assert.Contains("closed without close_notify (--abort)", serve.Error.Text);
    }

    [Fact]
    public async Task Connect_SelfSignedServerWithSystemRoots_ExitsFour()
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once");
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start("", "connect", $"localhost:{port}");

        Assert.Equal(4, await connect.WaitForExitAsync());
        Assert.Contains("certificate rejected", connect.Error.Text);
    }

    [Theory]
    [InlineData("sslstream")]
    [InlineData("bouncycastle")]
    public async Task Connect_CustomRootAndHostName_AcceptsTheRightNameOnly(string backend)
    {
        using var pem = new PemDirectory();
        await using var serve = VtlsRun.Start(
            "", "serve", "0", "--cert", pem.Files.ServerCertificate, "--key", pem.Files.ServerKey);
        int port = await serve.ListeningPortAsync();

        await using var right = VtlsRun.Start(
            "", "connect", $"localhost:{port}", "--ca", pem.Files.CaCertificate, "-b", backend);
        await using var wrong = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--ca", pem.Files.CaCertificate, "--servername", "wrong.example",
            "-b", backend);

        Assert.Equal(0, await right.WaitForExitAsync());
        Assert.Equal(4, await wrong.WaitForExitAsync());
        Assert.Contains("wrong.example", wrong.Error.Text);
    }

    [Theory]
    [InlineData("sslstream")]
    [InlineData("bouncycastle")]
    public async Task Connect_IpLiteral_ChecksTheCertificatesIpAddressEntries(string backend)
    {
        using var pem = new PemDirectory();
        using var nameOnly = pem.Pki.IssueServer(["localhost"]);
        File.WriteAllText(pem.PathOf("name-only.pem"), nameOnly.ExportCertificatePem());
        File.WriteAllText(pem.PathOf("name-only.key"), TestPki.ExportKeyPem(nameOnly));
        await using var withIp = VtlsRun.Start(
            "", "serve", "0", "--once", "--cert", pem.Files.ServerCertificate, "--key", pem.Files.ServerKey);
        await using var withoutIp = VtlsRun.Start(
            "", "serve", "0", "--once", "--cert", pem.PathOf("name-only.pem"), "--key", pem.PathOf("name-only.key"));
        int withIpPort = await withIp.ListeningPortAsync();
        int withoutIpPort = await withoutIp.ListeningPortAsync();

        await using var accepted = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{withIpPort}", "--ca", pem.Files.CaCertificate, "-b", backend);
        await using var rejected = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{withoutIpPort}", "--ca", pem.Files.CaCertificate, "-b", backend);

        Assert.Equal(0, await accepted.WaitForExitAsync());
        Assert.Equal(4, await rejected.WaitForExitAsync());
        Assert.Contains("127.0.0.1", rejected.Error.Text);
    }

    [Theory]
    [InlineData("1.2", "TLS 1.2")]
    [InlineData("1.3", "TLS 1.3")]
    public async Task Connect_TlsVersion_NegotiatesThatVersion(string version, string expected)
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "-b", "bouncycastle");
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "--tls", version);

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Contains($"with sslstream: {expected},", connect.Error.Text);
    }

    [Fact]
    public async Task Connect_Verbose_TracesHandshakeAndShutdownSteps()
    {
        await using var serve = VtlsRun.Start("", "serve", "0", "--once");
        int port = await serve.ListeningPortAsync();

        await using var connect = VtlsRun.Start(
            "", "connect", $"127.0.0.1:{port}", "--pin", await serve.PinAsync(), "-v");

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Contains("connect() -> Done", connect.Error.Text);
        Assert.Contains("shutdown() -> Done", connect.Error.Text);
        Assert.Contains("[chain] shutdown complete", connect.Error.Text);
    }

    [Fact]
    public async Task Connect_ServerNeverAnswers_TimesOutWithSix()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(1);
        int port = ((IPEndPoint)silent.LocalEndPoint!).Port;

        await using var connect = VtlsRun.Start("", "connect", $"127.0.0.1:{port}", "--insecure", "--timeout", "1");

        Assert.Equal(6, await connect.WaitForExitAsync());
        Assert.Contains("certificate verification is off", connect.Error.Text);
    }

    [Fact]
    public async Task Connect_NothingListens_ExitsSeven()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var connect = VtlsRun.Start("", "connect", $"127.0.0.1:{port}", "--insecure");

        Assert.Equal(7, await connect.WaitForExitAsync());
    }

    [Fact]
    public async Task Serve_WithoutOnce_ServesConnectionsOneAfterAnotherUntilInterrupted()
    {
        var serve = VtlsRun.Start("", "serve", "0", "--echo");
        int port = await serve.ListeningPortAsync();
        string pin = await serve.PinAsync();

        for (int i = 0; i < 2; i++)
        {
            await using var connect = VtlsRun.Start("", "connect", $"127.0.0.1:{port}", "--pin", pin);
            Assert.Equal(0, await connect.WaitForExitAsync());
        }

        await serve.DisposeAsync();
        Assert.Equal(130, await serve.Exit);
        Assert.Contains("interrupted", serve.Error.Text);
    }
}
