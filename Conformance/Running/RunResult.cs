namespace Vtls.Conformance.Running;

/// <summary>The verdict of one run.</summary>
public enum Outcome
{
    /// <summary>Every expectation held.</summary>
    Pass,

    /// <summary>An expectation did not hold; <see cref="RunResult.Detail"/> says which.</summary>
    Fail,

    /// <summary>
    /// The run could not be played (the peer cannot act the part, a tool is missing, a feature is declared
    /// missing); <see cref="RunResult.Detail"/> says why. Never counted as a pass.
    /// </summary>
    Skip,
}

/// <summary>
/// One cell of the conformance matrix: a scenario, with one backend under test, against one peer, in one role,
/// over one protocol version and one transport.
/// </summary>
/// <param name="Scenario">The scenario id, for example <c>S01</c>.</param>
/// <param name="Backend">The backend under test.</param>
/// <param name="Peer">The peer: a backend name, <c>openssl</c> or <c>gnutls</c>.</param>
/// <param name="Role">The role of the backend under test: <c>client</c> or <c>server</c>.</param>
/// <param name="Protocol"><c>TLS1.2</c> or <c>TLS1.3</c>.</param>
/// <param name="Transport"><c>tcp</c> (real loopback) or <c>faulty</c> (the fault-injecting transport).</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Detail">What was observed, or why it failed or was skipped.</param>
/// <param name="Elapsed">How long the run took.</param>
public sealed record RunResult(
    string Scenario,
    string Backend,
    string Peer,
    string Role,
    string Protocol,
    string Transport,
    Outcome Outcome,
    string Detail,
    TimeSpan Elapsed);

/// <summary>What to run: every list empty means "all that apply".</summary>
public sealed class ConformanceRequest
{
    /// <summary>Backends under test, by registered name.</summary>
    public IList<string> Backends { get; } = new List<string>();

    /// <summary>Peers: registered backend names, <c>openssl</c>, <c>gnutls</c>.</summary>
    public IList<string> Peers { get; } = new List<string>();

    /// <summary>Scenario ids (<c>S01</c>) or group letters (<c>S</c>).</summary>
    public IList<string> Scenarios { get; } = new List<string>();

    /// <summary>Roles of the backend under test: <c>client</c>, <c>server</c>.</summary>
    public IList<string> Roles { get; } = new List<string>();

    /// <summary>Protocol versions: <c>TLS1.2</c>, <c>TLS1.3</c>.</summary>
    public IList<string> Protocols { get; } = new List<string>();

    /// <summary>Transports: <c>tcp</c>, <c>faulty</c>.</summary>
    public IList<string> Transports { get; } = new List<string>();

    /// <summary>
    /// Whether a missing external tool (openssl, gnutls-cli) fails the run instead of skipping it. CI sets it.
    /// </summary>
    public bool RequireExternalPeers { get; set; }
}
