namespace Vtls.Conformance.Catalogue;

/// <summary>The kinds of peer the suite can put on the other side.</summary>
public enum PeerKind
{
    /// <summary>A registered Vtls backend, driven in this process.</summary>
    InProcess,

    /// <summary><c>openssl s_server</c> / <c>openssl s_client</c> as a child process.</summary>
    OpenSsl,

    /// <summary><c>gnutls-serv</c> / <c>gnutls-cli</c> as a child process.</summary>
    GnuTls,
}

/// <summary>
/// A peer and what it can do in each role. The external tools' limits come from FACTS.md and are stated here once,
/// with the reason a run they cannot play is skipped.
/// </summary>
public sealed class PeerProfile
{
    private readonly Dictionary<(TlsRole, PeerAbilities), string> _cannot;

    private PeerProfile(
        string name,
        PeerKind kind,
        ITlsBackend? backend,
        Dictionary<(TlsRole, PeerAbilities), string> cannot)
    {
        Name = name;
        Kind = kind;
        Backend = backend;
        _cannot = cannot;
    }

    /// <summary>The name in results: a backend's name, <c>openssl</c> or <c>gnutls</c>.</summary>
    public string Name { get; }

    /// <summary>What kind of peer it is.</summary>
    public PeerKind Kind { get; }

    /// <summary>The backend, for an in-process peer.</summary>
    public ITlsBackend? Backend { get; }

    /// <summary>Whether the peer is a command-line tool.</summary>
    public bool IsExternal => Kind != PeerKind.InProcess;

    /// <summary>The <c>openssl</c> command-line peer.</summary>
    public static PeerProfile OpenSsl { get; } = new(
        "openssl",
        PeerKind.OpenSsl,
        null,
        new()
        {
            [(TlsRole.Server, PeerAbilities.InitiatesCloseNotify)] =
                "openssl s_server may close the socket before its close_notify leaves (FACTS.md), " +
                "so it cannot be relied on to shut down first",
            [(TlsRole.Server, PeerAbilities.SendsAfterCloseNotify)] =
                "openssl s_server cannot keep sending after receiving close_notify: it answers and ends",
            [(TlsRole.Client, PeerAbilities.SendsAfterCloseNotify)] =
                "openssl s_client cannot keep sending after receiving close_notify: it answers and ends",
        });

    /// <summary>The <c>gnutls</c> command-line peer.</summary>
    public static PeerProfile GnuTls { get; } = new(
        "gnutls",
        PeerKind.GnuTls,
        null,
        new()
        {
            [(TlsRole.Client, PeerAbilities.AnswersCloseNotify)] =
                "gnutls-cli 3.7.9 closes TCP on close_notify without answering it (FACTS.md)",
            [(TlsRole.Client, PeerAbilities.SendsAfterCloseNotify)] =
                "gnutls-cli closes TCP when it receives close_notify; it cannot keep sending",
            [(TlsRole.Server, PeerAbilities.SendsOnDemand)] =
                "gnutls-serv only echoes what it receives; it cannot send on its own",
            [(TlsRole.Server, PeerAbilities.InitiatesCloseNotify)] =
                "gnutls-serv has no way to be told to shut down first",
            [(TlsRole.Server, PeerAbilities.SendsAfterCloseNotify)] =
                "gnutls-serv cannot keep sending after receiving close_notify",
        });

    /// <summary>A registered backend as an in-process peer: it can do everything the suite asks.</summary>
    /// <param name="backend">The backend.</param>
    public static PeerProfile InProcess(ITlsBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var cannot = new Dictionary<(TlsRole, PeerAbilities), string>();
        if (!backend.Features.HasFlag(TlsFeatures.ServerRole))
        {
            foreach (var ability in Enum.GetValues<PeerAbilities>())
            {
                cannot[(TlsRole.Server, ability)] = $"{backend.Name} has no server role";
            }
        }

        return new PeerProfile(backend.Name, PeerKind.InProcess, backend, cannot);
    }

    /// <summary>
    /// Why the peer cannot play <paramref name="role"/> with every ability in <paramref name="needs"/>, or
    /// <see langword="null"/> when it can.
    /// </summary>
    /// <param name="needs">The abilities a scenario needs.</param>
    /// <param name="role">The peer's role.</param>
    public string? WhyCannot(PeerAbilities needs, TlsRole role)
    {
        if (_cannot.TryGetValue((role, PeerAbilities.None), out var always))
        {
            return always;
        }

        foreach (var ability in Enum.GetValues<PeerAbilities>())
        {
            if (ability != PeerAbilities.None
                && needs.HasFlag(ability)
                && _cannot.TryGetValue((role, ability), out var reason))
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>Whether the peer has <paramref name="ability"/> in <paramref name="role"/>.</summary>
    /// <param name="ability">One ability.</param>
    /// <param name="role">The peer's role.</param>
    public bool Can(PeerAbilities ability, TlsRole role) => WhyCannot(ability, role) is null;

    /// <summary>The protocol versions the peer speaks.</summary>
    public TlsProtocols Protocols => Backend is null
        ? TlsProtocols.Tls12And13
        : (Backend.Features.HasFlag(TlsFeatures.Tls12) ? TlsProtocols.Tls12 : TlsProtocols.None)
          | (Backend.Features.HasFlag(TlsFeatures.Tls13) ? TlsProtocols.Tls13 : TlsProtocols.None);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
