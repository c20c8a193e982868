using System.Net;
using Vtls.Conformance.Pki;

namespace Vtls.Conformance.External;

/// <summary>
/// An <c>openssl</c> or <c>gnutls</c> command-line peer running as a child process on loopback, with its stdin for
/// sending data and its output parsed into what it observed.
/// </summary>
public sealed partial class ExternalTlsProcess : IAsyncDisposable
{
    /// <summary>Whether the tool is on PATH and runs.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="reason">Why not, when it is not.</param>
    public static bool IsAvailable(ExternalTool tool, out string reason) => throw new NotImplementedException();

    /// <summary>
    /// Starts a server on 127.0.0.1 on a free port with the PKI's server certificate; returns once it accepts
    /// connections.
    /// </summary>
    /// <param name="tool">Which implementation.</param>
    /// <param name="pki">The PEM files.</param>
    /// <param name="version">Exactly one of TLS 1.2 or 1.3, or both.</param>
    /// <param name="cancellationToken">Ends the start-up wait.</param>
    public static Task<ExternalTlsProcess> StartServerAsync(
        ExternalTool tool,
        PemFiles pki,
        TlsProtocols version,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Starts a client that connects to <paramref name="server"/> and verifies against the PKI's root.</summary>
    /// <param name="tool">Which implementation.</param>
    /// <param name="server">Where to connect.</param>
    /// <param name="serverName">The name to send (SNI) and verify.</param>
    /// <param name="pki">The PEM files.</param>
    /// <param name="version">Exactly one of TLS 1.2 or 1.3, or both.</param>
    /// <param name="cancellationToken">Ends the start-up.</param>
    public static Task<ExternalTlsProcess> StartClientAsync(
        ExternalTool tool,
        IPEndPoint server,
        string serverName,
        PemFiles pki,
        TlsProtocols version,
        CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The port a server listens on; <see langword="null"/> for a client.</summary>
    public int? Port => throw new NotImplementedException();

    /// <summary>Everything the tool printed so far, stdout and stderr.</summary>
    public string Output => throw new NotImplementedException();

    /// <summary>The application bytes the tool received from its peer and printed.</summary>
    public byte[] ReceivedData => throw new NotImplementedException();

    /// <summary>Writes <paramref name="data"/> to the tool's stdin: it sends it as application data.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Ends the write.</param>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Closes the tool's stdin.</summary>
    public Task CloseInputAsync() => throw new NotImplementedException();

    /// <summary>Waits until the output shows how the connection ended, or the timeout passes (then None).</summary>
    /// <param name="timeout">The bound.</param>
    public Task<ExternalObservation> WaitForObservationAsync(TimeSpan timeout) =>
        throw new NotImplementedException();

    /// <summary>Waits for the process to exit; its exit code, or <see langword="null"/> after the timeout.</summary>
    /// <param name="timeout">The bound.</param>
    public Task<int?> WaitForExitAsync(TimeSpan timeout) => throw new NotImplementedException();

    /// <summary>Kills the process tree; bounded.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
