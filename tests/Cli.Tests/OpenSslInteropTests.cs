using System.Text;
using Vtls.Conformance.Xunit;
using Vtls.Tests.Infrastructure;

namespace Vtls.Tests;

/// <summary>
/// <c>vtls connect</c> and <c>vtls serve</c> against <c>openssl s_server</c> and <c>s_client</c> processes on
/// loopback, with the tool's own output confirming what it saw (FACTS.md lists the tools' habits).
/// </summary>
public sealed class OpenSslInteropTests
{
    public static TheoryData<string, string> BackendsAndVersions => new()
    {
        { "sslstream", "1.2" },
        { "sslstream", "1.3" },
        { "bouncycastle", "1.2" },
        { "bouncycastle", "1.3" },
    };

    [ExternalPeersTheory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Connect_GracefulEnd_OpenSslServerSeesCloseNotifyAndAnswers(string backend, string version)
    {
        ToolProcess.RequireOpenSsl();
        using var pem = new PemDirectory();
        using var server = ToolProcess.StartOpenSslServer(pem.Files);
        int port = await server.AcceptPortAsync();

        await using var connect = VtlsRun.Start(
            "hello openssl\n", "connect", $"127.0.0.1:{port}", "--ca", pem.Files.CaCertificate, "-b", backend,
            "--tls", version);

        Assert.Equal(0, await connect.WaitForExitAsync());
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains("hello openssl", server.Output.Text);
        Assert.Contains("DONE", server.Output.Text);
        Assert.Contains("peer's close_notify: received", connect.Error.Text);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Connect_Abort_OpenSslServerSeesUnexpectedEof(string backend, string version)
    {
        ToolProcess.RequireOpenSsl();
        using var pem = new PemDirectory();
        using var server = ToolProcess.StartOpenSslServer(pem.Files);
        int port = await server.AcceptPortAsync();

        var input = new HeldInput(Encoding.UTF8.GetBytes("bye\n"));
        await using var connect = VtlsRun.Start(
            input, "connect", $"127.0.0.1:{port}", "--ca", pem.Files.CaCertificate, "-b", backend,
            "--tls", version, "--abort");

        // Ending the input once the server has the data means its session tickets (TLS 1.3) were read first, so
        // the kernel closes with a FIN; unread bytes would turn the close into a reset (CONFORMANCE C01 allows it,
        // but then s_server reports a reset instead).
        await server.Output.WaitForAsync(new("bye"), VtlsRun.Patience);
        input.End();

        Assert.Equal(0, await connect.WaitForExitAsync());
        await server.WaitForExitAsync();
        Assert.Contains("unexpected eof", server.Output.Text);
        Assert.DoesNotContain("DONE", server.Output.Text);
    }

    [ExternalPeersTheory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Connect_OpenSslServerQuitsWithoutCloseNotify_ExitsThree(string backend, string version)
    {
        ToolProcess.RequireOpenSsl();
        using var pem = new PemDirectory();
        using var server = ToolProcess.StartOpenSslServer(pem.Files);
        int port = await server.AcceptPortAsync();
        var input = new HeldInput(Encoding.UTF8.GetBytes("ping\n"));
        await using var connect = VtlsRun.Start(
            input, "connect", $"127.0.0.1:{port}", "--ca", pem.Files.CaCertificate, "-b", backend, "--tls", version);
        await server.Output.WaitForAsync(new("ping"), VtlsRun.Patience);

        // FACTS.md: at the end of its input s_server closes the socket before its close_notify leaves.
        server.EndInput();

        Assert.Equal(3, await connect.WaitForExitAsync());
        Assert.Contains("truncated", connect.Error.Text);
        input.End();
    }

    [ExternalPeersTheory]
    [MemberData(nameof(BackendsAndVersions))]
    public async Task Serve_OpenSslClientEndsWithCloseNotify_ExitsZero(string backend, string version)
    {
        ToolProcess.RequireOpenSsl();
        await using var serve = VtlsRun.Start("", "serve", "0", "--once", "-b", backend, "--tls", version);
        int port = await serve.ListeningPortAsync();

        using var client = ToolProcess.Start(
            "openssl", "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-msg");
        await client.Output.WaitForAsync(new("Verify return code"), VtlsRun.Patience);
        await client.WriteInputAsync("hello vtls serve\n");
        await serve.Output.WaitForAsync("hello vtls serve\n", VtlsRun.Patience);
        client.EndInput();

        Assert.Equal(0, await serve.WaitForExitAsync());
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("peer's close_notify: received", serve.Error.Text);
    }
}
