using Vtls.Conformance.Catalogue;
using Vtls.Conformance.External;

namespace Vtls.Conformance.Running;

/// <summary>One cell of the matrix before it runs, with the reason it cannot run, if any.</summary>
internal sealed record RunCell(
    Scenario Scenario,
    ITlsBackend Backend,
    PeerProfile Peer,
    TlsRole Role,
    TlsProtocols Protocol,
    string Transport,
    string? SkipReason,
    bool MissingTool)
{
    public RunResult Result(Outcome outcome, string detail, TimeSpan elapsed) => new(
        Scenario.Id,
        Backend.Name,
        Peer.Name,
        RunPlan.RoleName(Role),
        RunPlan.ProtocolName(Protocol),
        Transport,
        outcome,
        detail,
        elapsed);
}

/// <summary>Expands a request into the matrix: scenario x backend x peer x role x protocol x transport.</summary>
internal static class RunPlan
{
    private static readonly TlsRole[] s_roles = [TlsRole.Client, TlsRole.Server];
    private static readonly TlsProtocols[] s_protocols = [TlsProtocols.Tls13, TlsProtocols.Tls12];

    public static string RoleName(TlsRole role) => role == TlsRole.Client ? "client" : "server";

    public static string ProtocolName(TlsProtocols protocol) => protocol == TlsProtocols.Tls13 ? "TLS1.3" : "TLS1.2";

    public static IReadOnlyList<RunCell> Expand(
        ConformanceRequest request,
        ConformanceRunner runner,
        TlsBackendRegistry registry)
    {
        var scenarios = ScenarioCatalogue.Select(request.Scenarios);
        var backends = request.Backends.Count == 0
            ? registry.Backends
            : request.Backends.Select(registry.Get).ToArray();
        var peers = runner.ResolvePeers(request.Peers);
        var roles = Filter(s_roles, request.Roles, RoleName, "role");
        var protocols = Filter(s_protocols, request.Protocols, ProtocolName, "protocol");
        var transports = Filter(TransportNames.All.ToArray(), request.Transports, t => t, "transport");

        var cells = new List<RunCell>();
        foreach (var scenario in scenarios)
        {
            foreach (var backend in backends)
            {
                foreach (var peer in peers)
                {
                    foreach (var role in roles.Where(scenario.RunsAs))
                    {
                        foreach (var protocol in protocols)
                        {
                            foreach (var transport in transports.Where(scenario.RunsOver))
                            {
                                var (reason, missingTool) = WhyNot(runner, scenario, backend, peer, role, protocol);
                                cells.Add(new RunCell(
                                    scenario, backend, peer, role, protocol, transport, reason, missingTool));
                            }
                        }
                    }
                }
            }
        }

        return cells;
    }

    private static (string? Reason, bool MissingTool) WhyNot(
        ConformanceRunner runner,
        Scenario scenario,
        ITlsBackend backend,
        PeerProfile peer,
        TlsRole role,
        TlsProtocols protocol)
    {
        var version = protocol == TlsProtocols.Tls13 ? TlsFeatures.Tls13 : TlsFeatures.Tls12;
        if (!backend.Features.HasFlag(version))
        {
            return ($"{backend.Name} does not support {ProtocolName(protocol)}", false);
        }

        if (!peer.Protocols.HasFlag(protocol))
        {
            return ($"{peer.Name} does not support {ProtocolName(protocol)}", false);
        }

        if (role == TlsRole.Server && !backend.Features.HasFlag(TlsFeatures.ServerRole))
        {
            return ($"{backend.Name} has no server role", false);
        }

        var missing = scenario.RequiredFeatures & ~backend.Features;
        if (missing != TlsFeatures.None)
        {
            return ($"{backend.Name} does not declare {missing}", false);
        }

        if (scenario.WhyPeerCannotPlay(peer, role) is { } cannot)
        {
            return (cannot, false);
        }

        if (peer.IsExternal)
        {
            var tool = peer.Kind == PeerKind.OpenSsl ? ExternalTool.OpenSsl : ExternalTool.GnuTls;
            if (runner.ToolProblem(tool) is { } problem)
            {
                return ($"{peer.Name} peer unavailable: {problem}", true);
            }
        }

        return (null, false);
    }

    private static T[] Filter<T>(T[] all, IList<string> wanted, Func<T, string> name, string what)
    {
        if (wanted.Count == 0)
        {
            return all;
        }

        foreach (var w in wanted)
        {
            if (!all.Any(item => string.Equals(name(item), w.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException(
                    $"Unknown {what} '{w}'. Known: {string.Join(", ", all.Select(name))}.",
                    nameof(wanted));
            }
        }

        return all
            .Where(item => wanted.Any(w => string.Equals(name(item), w.Trim(), StringComparison.OrdinalIgnoreCase)))
            .ToArray();
    }
}
