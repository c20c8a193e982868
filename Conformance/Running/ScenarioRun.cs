using System.Text;
using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Transport;
using Vtls.Conformance.Wire;

namespace Vtls.Conformance.Running;

/// <summary>
/// One run of one scenario: the backend under test (BUT) and its peer, connected through the wire recorder, and
/// the helpers a scenario body judges with. Verdicts come from what the peer observed and what crossed the wire.
/// </summary>
internal sealed partial class ScenarioRun : IAsyncDisposable
{
    /// <summary>How long a body waits for any single thing to happen before it calls it a failure.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    private readonly List<string> _notes = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private TlsConnection? _but;
    private PeerSession? _peer;
    private WireRecorder? _recorder;

    public ScenarioRun(
        Scenario scenario,
        ITlsBackend backend,
        PeerProfile peer,
        TlsRole role,
        TlsProtocols protocol,
        string transport,
        RunResources resources,
        CapturingLoggerFactory logs,
        CancellationToken cancellationToken)
    {
        Scenario = scenario;
        Backend = backend;
        PeerProfile = peer;
        Role = role;
        Protocol = protocol;
        Transport = transport;
        Resources = resources;
        Logs = logs;
        CancellationToken = cancellationToken;
    }

    public Scenario Scenario { get; }

    public ITlsBackend Backend { get; }

    public PeerProfile PeerProfile { get; }

    /// <summary>The role of the backend under test.</summary>
    public TlsRole Role { get; }

    /// <summary>The peer's role.</summary>
    public TlsRole PeerRole => Role == TlsRole.Client ? TlsRole.Server : TlsRole.Client;

    /// <summary>Exactly one of TLS 1.2 or TLS 1.3.</summary>
    public TlsProtocols Protocol { get; }

    public string Transport { get; }

    public RunResources Resources { get; }

    public CapturingLoggerFactory Logs { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The backend under test, through the async adapter.</summary>
    public TlsConnection But => _but ?? throw new InvalidOperationException("ConnectAsync first.");

    /// <summary>The backend's TLS filter.</summary>
    public TlsFilter ButTls => (TlsFilter)But.Chain.Top;

    /// <summary>The topmost fault filter under the TLS filter, if the transport has one.</summary>
    public FaultInjectingFilter? Faults { get; private set; }

    public PeerSession Peer => _peer ?? throw new InvalidOperationException("ConnectAsync first.");

    public WireRecorder Recorder => _recorder ?? throw new InvalidOperationException("ConnectAsync first.");

    /// <summary>Which way the backend's bytes travel through the recorder.</summary>
    public WireDirection ButToPeer =>
        Role == TlsRole.Client ? WireDirection.ClientToServer : WireDirection.ServerToClient;

    /// <summary>Which way the peer's bytes travel.</summary>
    public WireDirection PeerToBut =>
        Role == TlsRole.Client ? WireDirection.ServerToClient : WireDirection.ClientToServer;

    /// <summary>What the backend under test put on the wire.</summary>
    public WireDirectionLog ButWire => Recorder.Log(ButToPeer);

    /// <summary>What the peer put on the wire.</summary>
    public WireDirectionLog PeerWire => Recorder.Log(PeerToBut);

    /// <summary>What was observed, for the report.</summary>
    public string Notes => string.Join("; ", _notes);

    /// <summary>Notes an observation for the run's detail.</summary>
    public void Note(string observation) => _notes.Add(observation);

    /// <summary>Fails the run with <paramref name="message"/> unless <paramref name="condition"/> holds.</summary>
    public void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new ScenarioFailedException(message);
        }
    }

    /// <summary>Fails the run.</summary>
    public ScenarioFailedException Fail(string message) => new(message);

    /// <summary>Skips the run: it cannot be played; the reason is reported.</summary>
    public ScenarioSkippedException Skip(string reason) => new(reason);

    /// <summary>
    /// A deterministic payload without line starts an interactive tool would take as a command (Q, R, k...).
    /// </summary>
    public static byte[] Payload(int length, int seed = 0)
    {
        const string alphabet = "0123456789ABCDEFGHIJabcdefghij-_";
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            // Lines end every 64 bytes and at the end: gnutls-serv echoes line by line.
            bool endOfLine = (i % 64) == 63 || i == length - 1;
            bytes[i] = endOfLine ? (byte)'\n' : (byte)alphabet[(i * 7 + seed + i / 64) % alphabet.Length];
        }

        return bytes;
    }

    /// <summary>Describes the wire in both directions, for failure details.</summary>
    public string DescribeWire()
    {
        if (_recorder is null)
        {
            return "no recorder";
        }

        var text = new StringBuilder();
        text.Append("BUT->peer ").Append(ButWire).Append(" | peer->BUT ").Append(PeerWire);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _but?.Dispose();
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            try
            {
                await owned.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Teardown is best effort and bounded; the verdict is already made.
            }
        }
    }
}
