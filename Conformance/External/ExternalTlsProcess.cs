using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Vtls.Conformance.Pki;

namespace Vtls.Conformance.External;

/// <summary>
/// An <c>openssl</c> or <c>gnutls</c> command-line peer running as a child process on loopback: data goes in on
/// its stdin, the application data it received comes out on its stdout, and its diagnostics are parsed into what
/// it observed (<see cref="ExternalObservation"/>). The command lines are documented on
/// <c>ExternalCommandLine</c>.
/// </summary>
/// <remarks>
/// gnutls-serv reads no stdin: it runs as an echo server, so <see cref="CanSend"/> and
/// <see cref="CanCloseInput"/> are false for it, and <see cref="ReceivedData"/> stays empty (the data comes back to
/// the client instead).
/// </remarks>
public sealed partial class ExternalTlsProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ListenPoll = TimeSpan.FromMilliseconds(20);
    private const int StartAttempts = 3;

    private readonly Process _process;

    private ExternalTlsProcess(Process process, ExternalTool tool, TlsRole role, int? port)
    {
        _process = process;
        Tool = tool;
        Role = role;
        Port = port;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
        _exited = WatchExitAsync();
    }

    /// <summary>Which implementation this is.</summary>
    public ExternalTool Tool { get; }

    /// <summary>The role it plays.</summary>
    public TlsRole Role { get; }

    /// <summary>The port a server listens on; <see langword="null"/> for a client.</summary>
    public int? Port { get; }

    /// <summary>Whether <see cref="WriteAsync"/> sends data (false for gnutls-serv: it reads no stdin).</summary>
    public bool CanSend => !(Tool == ExternalTool.GnuTls && Role == TlsRole.Server);

    /// <summary>Whether <see cref="CloseInputAsync"/> ends the connection (false for gnutls-serv).</summary>
    public bool CanCloseInput => CanSend;

    /// <summary>Whether the handshake completed, as far as the output shows.</summary>
    public bool IsHandshakeDone => ExternalOutputParser.IsHandshakeDone(Tool, Diagnostics);

    /// <summary>Whether the tool is on PATH and runs.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="reason">Why not, when it is not.</param>
    public static bool IsAvailable(ExternalTool tool, out string reason) =>
        ExternalToolProbe.IsAvailable(tool, out reason);

    /// <summary>
    /// Starts a server on 127.0.0.1 on a free port with the PKI's server certificate; returns once it accepts
    /// connections (its listening socket shows in the system's table; no probe connection is made, since
    /// <c>s_server -naccept 1</c> would spend its one connection on it).
    /// </summary>
    /// <param name="tool">Which implementation.</param>
    /// <param name="pki">The PEM files.</param>
    /// <param name="version">TLS 1.2, TLS 1.3, or both.</param>
    /// <param name="cancellationToken">Ends the start-up wait.</param>
    /// <exception cref="InvalidOperationException">The tool is missing or never started listening.</exception>
    public static async Task<ExternalTlsProcess> StartServerAsync(
        ExternalTool tool,
        PemFiles pki,
        TlsProtocols version,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        ThrowIfUnavailable(tool);
        string lastProblem = "";
        for (int attempt = 0; attempt < StartAttempts; attempt++)
        {
            // The port is free now; another process could take it before the tool binds, hence the retries.
            int port = FreeLoopbackPort();
            var (program, arguments) = ExternalCommandLine.Server(tool, pki, version, port);
            var started = new ExternalTlsProcess(Launch(program, arguments), tool, TlsRole.Server, port);
            if (await started.WaitUntilListeningAsync(port, cancellationToken).ConfigureAwait(false))
            {
                return started;
            }

            lastProblem = started.Output;
            await started.DisposeAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException(
            $"{tool} server did not start listening after {StartAttempts} attempts: {Tail(lastProblem)}");
    }

    /// <summary>
    /// Starts a client that connects to <paramref name="server"/>, sends <paramref name="serverName"/> as SNI and
    /// verifies the server's certificate and name against the PKI's root. Returns once the process runs; the
    /// handshake proceeds when the server accepts.
    /// </summary>
    /// <param name="tool">Which implementation.</param>
    /// <param name="server">Where to connect.</param>
    /// <param name="serverName">The name to send (SNI) and verify.</param>
    /// <param name="pki">The PEM files.</param>
    /// <param name="version">TLS 1.2, TLS 1.3, or both.</param>
    /// <param name="cancellationToken">Ends the start-up.</param>
    public static Task<ExternalTlsProcess> StartClientAsync(
        ExternalTool tool,
        IPEndPoint server,
        string serverName,
        PemFiles pki,
        TlsProtocols version,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        ArgumentNullException.ThrowIfNull(pki);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnavailable(tool);
        var (program, arguments) = ExternalCommandLine.Client(tool, server, serverName, pki, version);
        return Task.FromResult(new ExternalTlsProcess(Launch(program, arguments), tool, TlsRole.Client, null));
    }

    private static void ThrowIfUnavailable(ExternalTool tool)
    {
        if (!IsAvailable(tool, out var reason))
        {
            throw new InvalidOperationException(reason);
        }
    }

    private static Process Launch(string program, List<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private async Task<bool> WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartBound;
        while (DateTime.UtcNow < deadline)
        {
            if (IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => e.Port == port))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(ListenPoll, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private static string Tail(string text) => text.Length <= 400 ? text : "..." + text[^400..];
}
