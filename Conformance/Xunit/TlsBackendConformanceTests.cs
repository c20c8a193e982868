using System.Collections.Concurrent;
using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Running;
using Xunit;

namespace Vtls.Conformance.Xunit;

/// <summary>
/// The conformance suite as xunit tests, for any backend: subclass it, implement <see cref="CreateBackend"/>, and
/// every scenario of the catalogue runs against every peer, as client and as server, over TLS 1.2 and 1.3, through
/// the same <see cref="ConformanceRunner"/> that <c>vtls conformance</c> uses (one run per test case).
/// </summary>
/// <remarks>
/// <para>Capability flags come from the backend's declared <see cref="TlsFeatures"/>
/// (<see cref="SupportsTls12"/>, <see cref="SupportsHalfClose"/>, ...): a case the backend or the peer cannot play is
/// reported as skipped with the reason, never as passed. Test bodies never look at the concrete backend type.</para>
/// <para>Override <see cref="Transport"/> for a second sealed subclass over the fault-injecting transport, and
/// <see cref="OtherPeerBackends"/> to add in-process peers. External peers (<c>openssl</c>, <c>gnutls</c>) are
/// skipped when missing, or fail when <c>VTLS_REQUIRE_EXTERNAL_PEERS=1</c> (CI).</para>
/// </remarks>
public abstract class TlsBackendConformanceTests
{
    private static readonly ConcurrentDictionary<Type, ConformanceRunner> s_runners = new();
    private ITlsBackend? _backend;

    /// <summary>The backend under test, made once per test class instance.</summary>
    protected ITlsBackend Backend => _backend ??= CreateBackend();

    /// <summary>The transport: <c>tcp</c> (default) or <c>faulty</c>.</summary>
    protected virtual string Transport => TransportNames.Tcp;

    /// <summary>Other backends to play the peer in-process; the backend under test always plays it too.</summary>
    protected virtual IEnumerable<ITlsBackend> OtherPeerBackends => [];

    /// <summary>The command-line peers; default <c>openssl</c> and <c>gnutls</c>.</summary>
    protected virtual IEnumerable<string> ExternalPeers => ["openssl", "gnutls"];

    /// <summary>Whether a missing external tool fails the case instead of skipping it.</summary>
    protected virtual bool RequireExternalPeers => ConformanceRunner.ExternalPeersRequiredByEnvironment;

    /// <summary>Whether the backend declares TLS 1.2.</summary>
    protected bool SupportsTls12 => Backend.Features.HasFlag(TlsFeatures.Tls12);

    /// <summary>Whether the backend declares TLS 1.3.</summary>
    protected bool SupportsTls13 => Backend.Features.HasFlag(TlsFeatures.Tls13);

    /// <summary>Whether the backend declares the server role.</summary>
    protected bool SupportsServerRole => Backend.Features.HasFlag(TlsFeatures.ServerRole);

    /// <summary>Whether the backend declares half-close (CONFORMANCE S14).</summary>
    protected bool SupportsHalfClose => Backend.Features.HasFlag(TlsFeatures.HalfClose);

    /// <summary>Plays one cell of the matrix and asserts that it passed.</summary>
    /// <param name="scenario">The scenario id.</param>
    /// <param name="peer">The peer's name.</param>
    /// <param name="role">The backend's role: <c>client</c> or <c>server</c>.</param>
    /// <param name="protocol"><c>TLS1.3</c> or <c>TLS1.2</c>.</param>
    [ConformanceTheory]
    [ConformanceCases]
    public async Task Scenario_AgainstPeer_MeetsExpectation(string scenario, string peer, string role, string protocol)
    {
        var request = new ConformanceRequest { RequireExternalPeers = RequireExternalPeers };
        request.Backends.Add(Backend.Name);
        request.Peers.Add(peer);
        request.Scenarios.Add(scenario);
        request.Roles.Add(role);
        request.Protocols.Add(protocol);
        request.Transports.Add(Transport);

        var results = await Runner().RunAsync(request);

        var result = Assert.Single(results);
        if (result.Outcome == Outcome.Skip)
        {
            throw new ConformanceSkipException(result.Detail);
        }

        Assert.True(result.Outcome == Outcome.Pass, $"{scenario} failed: {result.Detail}");
    }

    /// <summary>Creates the backend under test. The only member a subclass must implement.</summary>
    protected abstract ITlsBackend CreateBackend();

    /// <summary>The rows: scenario x peer x role x protocol for <see cref="Transport"/>.</summary>
    internal IEnumerable<object[]> Cases()
    {
        var peers = PeerNames();
        foreach (var scenario in ConformanceRunner.Catalogue.Where(s => s.RunsOver(Transport)))
        {
            foreach (var peer in peers)
            {
                foreach (var role in new[] { TlsRole.Client, TlsRole.Server }.Where(scenario.RunsAs))
                {
                    foreach (var protocol in new[] { "TLS1.3", "TLS1.2" })
                    {
                        yield return [scenario.Id, peer, role == TlsRole.Client ? "client" : "server", protocol];
                    }
                }
            }
        }
    }

    private string[] PeerNames() =>
        [Backend.Name, .. OtherPeerBackends.Select(b => b.Name).Where(n => n != Backend.Name), .. ExternalPeers];

    private ConformanceRunner Runner() => s_runners.GetOrAdd(GetType(), _ =>
    {
        var registry = new TlsBackendRegistry().Register(Backend);
        foreach (var other in OtherPeerBackends)
        {
            registry.Register(other);
        }

        return new ConformanceRunner(registry) { MaxParallelRuns = 1 };
    });
}
