namespace Vtls.Conformance.Catalogue;

/// <summary>The groups of CONFORMANCE.md.</summary>
public enum ScenarioGroup
{
    /// <summary>S: shutdown sends close_notify and expects the peer's.</summary>
    Shutdown,

    /// <summary>C: close never notifies.</summary>
    Close,

    /// <summary>R: receive tells a finished stream from a cut one.</summary>
    Receive,

    /// <summary>N: no loss, no RST.</summary>
    NoLoss,

    /// <summary>V: trust, secure by default.</summary>
    Trust,

    /// <summary>I: interoperability.</summary>
    Interop,
}

/// <summary>The roles a scenario runs the backend under test in.</summary>
[Flags]
public enum ScenarioRoles
{
    /// <summary>The backend under test is the TLS client.</summary>
    Client = 1,

    /// <summary>The backend under test is the TLS server.</summary>
    Server = 2,

    /// <summary>Both roles, one run each.</summary>
    Both = Client | Server,
}

/// <summary>The transports a scenario runs over.</summary>
[Flags]
public enum ScenarioTransports
{
    /// <summary>Real non-blocking loopback TCP through the wire recorder (<c>tcp</c>).</summary>
    Tcp = 1,

    /// <summary>
    /// The fault-injecting filter (would-block, one-byte and partial I/O) under the backend's TLS filter, then TCP
    /// through the recorder (<c>faulty</c>). Only scenarios about I/O run there, to keep the matrix small.
    /// </summary>
    Faulty = 2,

    /// <summary>Both transports.</summary>
    Both = Tcp | Faulty,
}

/// <summary>
/// One scenario of CONFORMANCE.md, as data: what it checks, where the rule comes from, and what it needs of the
/// backend under test and of the peer. The runner plays it; <see cref="Body"/> holds the steps and the verdict.
/// </summary>
/// <param name="Id">The stable id, for example <c>S01</c>.</param>
/// <param name="Title">The scenario in one line.</param>
/// <param name="Group">Its group.</param>
/// <param name="Reference">The rule's source, for example <c>RFC 8446, 6.1</c>.</param>
/// <param name="Expected">What must hold, in CONFORMANCE.md's words.</param>
/// <param name="Roles">The roles of the backend under test.</param>
/// <param name="RequiredFeatures">Features the backend under test must declare; otherwise the run is skipped.</param>
/// <param name="Transports">The transports it runs over.</param>
/// <param name="PeerNeeds">What the peer must be able to do; a peer that cannot is skipped with its reason.</param>
public sealed record Scenario(
    string Id,
    string Title,
    ScenarioGroup Group,
    string Reference,
    string Expected,
    ScenarioRoles Roles,
    TlsFeatures RequiredFeatures,
    ScenarioTransports Transports,
    PeerAbilities PeerNeeds)
{
    /// <summary>The group's letter: S, C, R, N, V or I.</summary>
    public string GroupLetter => Id[..1];

    /// <summary>
    /// Why no peer known to the suite can play the scenario at all, or <see langword="null"/>. Such a scenario is
    /// reported as skipped with this reason in every run, never as passed.
    /// </summary>
    public string? Unplayable { get; init; }

    /// <summary>The steps and the verdict.</summary>
    internal ScenarioBody Body { get; init; } = static _ => Task.CompletedTask;

    /// <summary>Whether the scenario runs with the backend under test in <paramref name="role"/>.</summary>
    /// <param name="role">The backend's role.</param>
    public bool RunsAs(TlsRole role) =>
        Roles.HasFlag(role == TlsRole.Client ? ScenarioRoles.Client : ScenarioRoles.Server);

    /// <summary>Whether the scenario runs over <paramref name="transport"/> (<c>tcp</c> or <c>faulty</c>).</summary>
    /// <param name="transport">The transport's name.</param>
    public bool RunsOver(string transport) => transport switch
    {
        TransportNames.Tcp => Transports.HasFlag(ScenarioTransports.Tcp),
        TransportNames.Faulty => Transports.HasFlag(ScenarioTransports.Faulty),
        _ => false,
    };

    /// <summary>
    /// Why <paramref name="peer"/> cannot play the other side when the backend under test is
    /// <paramref name="butRole"/>, or <see langword="null"/> when it can.
    /// </summary>
    /// <param name="peer">The peer.</param>
    /// <param name="butRole">The role of the backend under test; the peer plays the other.</param>
    public string? WhyPeerCannotPlay(PeerProfile peer, TlsRole butRole)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (Unplayable is not null)
        {
            return Unplayable;
        }

        var peerRole = butRole == TlsRole.Client ? TlsRole.Server : TlsRole.Client;
        return peer.WhyCannot(PeerNeeds, peerRole);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} {Title}";
}

/// <summary>The transport names used in results and requests.</summary>
public static class TransportNames
{
    /// <summary>Real loopback TCP through the wire recorder.</summary>
    public const string Tcp = "tcp";

    /// <summary>The fault-injecting filter under the TLS filter, then TCP through the recorder.</summary>
    public const string Faulty = "faulty";

    /// <summary>Both, in matrix order.</summary>
    public static IReadOnlyList<string> All { get; } = [Tcp, Faulty];
}

/// <summary>The steps of a scenario; a normal return is a pass.</summary>
/// <param name="run">The connection pair, the recorder and the verdict helpers.</param>
internal delegate Task ScenarioBody(Running.ScenarioRun run);
