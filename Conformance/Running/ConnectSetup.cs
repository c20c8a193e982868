using System.Security.Cryptography.X509Certificates;
using Vtls.Conformance.Transport;
using Vtls.Conformance.Wire;

namespace Vtls.Conformance.Running;

/// <summary>How a scenario wants its connection pair set up; the defaults give a verified, connected pair.</summary>
internal sealed record ConnectSetup
{
    /// <summary>The defaults.</summary>
    public static ConnectSetup Default { get; } = new();

    /// <summary>The certificate the server side presents, when it is the peer (trust scenarios).</summary>
    public X509Certificate2? PeerServerCertificate { get; init; }

    /// <summary>A short file name for <see cref="PeerServerCertificate"/> when an external tool needs it.</summary>
    public string PeerServerCertificateName { get; init; } = "server";

    /// <summary>What the backend under test trusts; default the test PKI's root.</summary>
    public TlsTrust? ButTrust { get; init; }

    /// <summary>The name the backend under test sends and checks, as a client.</summary>
    public string? ButServerName { get; init; } = Pki.TestPki.ServerName;

    /// <summary>The backend's shutdown budget; default 2 s.</summary>
    public TimeSpan? ButShutdownBudget { get; init; }

    /// <summary>Whether to run both handshakes before the body starts.</summary>
    public bool Handshake { get; init; } = true;

    /// <summary>Faults to arm on the recorder before the handshake (R09).</summary>
    public Action<WireRecorder>? BeforeHandshake { get; init; }

    /// <summary>
    /// The fault filters under the backend's TLS filter, top first; <see langword="null"/> for the transport's
    /// default (none on <c>tcp</c>, a seeded chaos schedule on <c>faulty</c>).
    /// </summary>
    public IReadOnlyList<FaultSchedule>? Faults { get; init; }
}
