using Vtls.Conformance.Running;
using Vtls.Providers.SslStream;

namespace Vtls.Tests.Scenarios;

public sealed class RunnerTests
{
    [Fact]
    public async Task RunAsync_PeerCannotPlay_IsSkipWithReasonNeverPass()
    {
        using var runner = new ConformanceRunner(new TlsBackendRegistry().Register(SslStreamBackend.Instance));
        var request = new ConformanceRequest();
        request.Scenarios.Add("S03");
        request.Peers.Add("openssl");
        request.Roles.Add("client");

        var results = await runner.RunAsync(request);

        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.Equal(Outcome.Skip, r.Outcome);
            Assert.False(string.IsNullOrWhiteSpace(r.Detail));
        });
    }

    [Fact]
    public async Task RunAsync_UnplayableScenario_IsSkipInEveryCell()
    {
        using var runner = new ConformanceRunner(new TlsBackendRegistry().Register(SslStreamBackend.Instance));
        var request = new ConformanceRequest();
        request.Scenarios.Add("R07");
        request.Peers.Add("sslstream");

        var results = await runner.RunAsync(request);

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(Outcome.Skip, r.Outcome));
    }

    [Fact]
    public async Task RunAsync_UnknownBackend_ThrowsListingRegistered()
    {
        using var runner = new ConformanceRunner(new TlsBackendRegistry().Register(SslStreamBackend.Instance));
        var request = new ConformanceRequest();
        request.Backends.Add("nosuch");

        var error = await Assert.ThrowsAsync<TlsException>(() => runner.RunAsync(request));

        Assert.Contains("sslstream", error.Message);
    }

    [Fact]
    public async Task RunAsync_InProcessPeer_ReportsOneResultPerCellWithNames()
    {
        using var runner = new ConformanceRunner(new TlsBackendRegistry().Register(SslStreamBackend.Instance));
        var request = new ConformanceRequest();
        request.Scenarios.Add("I01");
        request.Peers.Add("sslstream");
        request.Protocols.Add("TLS1.3");

        var results = await runner.RunAsync(request);

        Assert.Equal(["client", "server"], results.Select(r => r.Role));
        Assert.All(results, r =>
        {
            Assert.Equal(("I01", "sslstream", "sslstream", "TLS1.3",
                "tcp"), (r.Scenario, r.Backend, r.Peer, r.Protocol, r.Transport));
            Assert.Equal(Outcome.Pass, r.Outcome);
        });
    }
}
