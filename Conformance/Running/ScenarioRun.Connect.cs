using System.Net;
using System.Net.Sockets;
using Vtls.Conformance.Catalogue;
using Vtls.Conformance.External;
using Vtls.Conformance.Peers;
using Vtls.Conformance.Transport;
using Vtls.Conformance.Wire;

namespace Vtls.Conformance.Running;

internal sealed partial class ScenarioRun
{
    private static readonly TimeSpan HandshakeBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecorderLifetime = TimeSpan.FromSeconds(60);
    private Task? _peerReady;

    /// <summary>Completes when the peer's side is connected (its handshake done, for a backend).</summary>
    public Task PeerReady => _peerReady ?? Task.CompletedTask;

    /// <summary>
    /// Sets up the pair: the peer, the recorder between them, the backend under test over the run's transport;
    /// then, unless <see cref="ConnectSetup.Handshake"/> is false, runs both handshakes.
    /// </summary>
    public async Task ConnectAsync(ConnectSetup? setup = null)
    {
        setup ??= ConnectSetup.Default;
        if (Role == TlsRole.Client)
        {
            await ConnectAsClientAsync(setup).ConfigureAwait(false);
        }
        else
        {
            await ConnectAsServerAsync(setup).ConfigureAwait(false);
        }

        if (setup.Handshake)
        {
            await HandshakeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Tears the current pair down and sets up a new one (scenarios that try several certificates).</summary>
    public async Task ReconnectAsync(ConnectSetup setup)
    {
        await DisposeAsync().ConfigureAwait(false);
        _owned.Clear();
        _but = null;
        _peer = null;
        _recorder = null;
        _peerReady = null;
        Faults = null;
        await ConnectAsync(setup).ConfigureAwait(false);
    }

    /// <summary>Runs the backend's handshake and waits for the peer's side.</summary>
    public async Task HandshakeAsync()
    {
        try
        {
            await But.ConnectAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            throw Fail($"the handshake of the backend under test failed: {e.Kind}: {e.Message}");
        }

        try
        {
            await PeerReady.WaitAsync(HandshakeBudget, CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TlsException or TimeoutException or SocketException)
        {
            throw Fail($"the peer's side of the handshake failed: {e.Message}");
        }

        Note($"connected: {ButTls.NegotiatedProtocol} {ButTls.CipherSuite}");
        Expect(
            ButTls.NegotiatedProtocol == Protocol,
            $"negotiated {ButTls.NegotiatedProtocol}, but only {Protocol} was allowed on both sides");
    }

    private async Task ConnectAsClientAsync(ConnectSetup setup)
    {
        IPEndPoint server;
        if (PeerProfile.IsExternal)
        {
            var pem = setup.PeerServerCertificate is null
                ? Resources.Pem
                : Resources.PemWithServer(setup.PeerServerCertificateName, setup.PeerServerCertificate);
            var process = await ExternalTlsProcess
                .StartServerAsync(Tool, pem, Protocol, CancellationToken)
                .ConfigureAwait(false);
            var peer = new ExternalPeer(process, Tool, TlsRole.Server);
            Own(peer);
            _peer = peer;
            server = new IPEndPoint(IPAddress.Loopback, process.Port!.Value);
        }
        else
        {
            var listener = Listen();
            server = (IPEndPoint)listener.LocalEndPoint!;
            _peerReady = AcceptInProcessPeerAsync(listener, setup);
        }

        _recorder = WireRecorder.Start(server, RecorderLifetime);
        Own(_recorder);
        setup.BeforeHandshake?.Invoke(_recorder);

        var options = ButOptions(setup);
        var tcp = new TcpSocketFilter(_recorder.EndPoint, options.LoggerFactory!.CreateLogger("Vtls.Tcp"));
        _but = TlsConnection.Wrap(Backend.CreateClient(Lower(tcp, setup), options), options);
    }

    private async Task ConnectAsServerAsync(ConnectSetup setup)
    {
        using var listener = Listen();
        _recorder = WireRecorder.Start((IPEndPoint)listener.LocalEndPoint!, RecorderLifetime);
        Own(_recorder);
        setup.BeforeHandshake?.Invoke(_recorder);

        if (PeerProfile.IsExternal)
        {
            var process = await ExternalTlsProcess
                .StartClientAsync(
                    Tool, _recorder.EndPoint, Pki.TestPki.ServerName, Resources.Pem, Protocol, CancellationToken)
                .ConfigureAwait(false);
            var peer = new ExternalPeer(process, Tool, TlsRole.Client);
            Own(peer);
            _peer = peer;
        }
        else
        {
            var options = PeerOptions(setup);
            var connection = TlsConnection.CreateClient(PeerProfile.Backend!, _recorder.EndPoint, options);
            var peer = new InProcessPeer(connection, PeerProfile.Name);
            Own(peer);
            _peer = peer;
            _peerReady = connection.ConnectAsync(CancellationToken);
        }

        var accepted = await listener.AcceptAsync(CancellationToken)
            .AsTask()
            .WaitAsync(HandshakeBudget, CancellationToken)
            .ConfigureAwait(false);
        var butOptions = ButOptions(setup);
        var tcp = new TcpSocketFilter(accepted, butOptions.LoggerFactory!.CreateLogger("Vtls.Tcp"));
        _but = TlsConnection.Wrap(Backend.CreateServer(Lower(tcp, setup), butOptions), butOptions);
    }

    private async Task AcceptInProcessPeerAsync(Socket listener, ConnectSetup setup)
    {
        using (listener)
        {
            var accepted = await listener.AcceptAsync(CancellationToken)
                .AsTask()
                .WaitAsync(HandshakeBudget, CancellationToken)
                .ConfigureAwait(false);
            var connection = TlsConnection.CreateServer(PeerProfile.Backend!, accepted, PeerOptions(setup));
            var peer = new InProcessPeer(connection, PeerProfile.Name);
            Own(peer);
            _peer = peer;
            await connection.ConnectAsync(CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the in-process server peer exists (it is made when the recorder connects).</summary>
    public async Task WaitForPeerAsync()
    {
        var deadline = DateTime.UtcNow + HandshakeBudget;
        while (_peer is null)
        {
            if (_peerReady is { IsFaulted: true })
            {
                await _peerReady.ConfigureAwait(false);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw Fail("the peer never accepted the connection");
            }

            await Task.Delay(10, CancellationToken).ConfigureAwait(false);
        }
    }

    private ConnectionFilter Lower(ConnectionFilter tcp, ConnectSetup setup)
    {
        var schedules = setup.Faults
            ?? (Transport == TransportNames.Faulty ? [FaultSchedule.Chaos(Seed)] : []);
        var lower = tcp;
        foreach (var schedule in schedules.Reverse())
        {
            lower = new FaultInjectingFilter(lower, schedule, Logs.CreateLogger("Vtls.Faults"));
        }

        Faults = lower as FaultInjectingFilter;
        return lower;
    }

    private TlsOptions ButOptions(ConnectSetup setup)
    {
        var options = new TlsOptions
        {
            Protocols = Protocol,
            LoggerFactory = Logs,
            HandshakeTimeout = HandshakeBudget,
            ShutdownTimeout = setup.ButShutdownBudget ?? TimeSpan.FromSeconds(2),
        };
        if (Role == TlsRole.Server)
        {
            options.Certificate = Resources.Pki.Server;
        }
        else
        {
            options.Trust = setup.ButTrust ?? TlsTrust.CustomRoots(Resources.Pki.Root);
            options.ServerName = setup.ButServerName;
        }

        return options;
    }

    private TlsOptions PeerOptions(ConnectSetup setup)
    {
        var options = new TlsOptions
        {
            Protocols = Protocol,
            HandshakeTimeout = HandshakeBudget,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        if (PeerRole == TlsRole.Server)
        {
            options.Certificate = setup.PeerServerCertificate ?? Resources.Pki.Server;
        }
        else
        {
            options.Trust = TlsTrust.CustomRoots(Resources.Pki.Root);
            options.ServerName = Pki.TestPki.ServerName;
        }

        return options;
    }

    private ExternalTool Tool => PeerProfile.Kind == PeerKind.OpenSsl ? ExternalTool.OpenSsl : ExternalTool.GnuTls;

    // A stable seed per scenario (string hash codes are randomised per process).
    private int Seed => Scenario.Id.Aggregate(17, (hash, c) => (hash * 31) + c) & 0x7FFF;

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        return listener;
    }

    private void Own(IAsyncDisposable disposable) => _owned.Add(disposable);
}
