using Vtls.Conformance.External;

namespace Vtls.Conformance.Peers;

/// <summary>An <c>openssl</c> or <c>gnutls</c> process as the peer.</summary>
internal sealed class ExternalPeer : PeerSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private readonly ExternalTlsProcess _process;
    private readonly ExternalTool _tool;
    private readonly TlsRole _role;

    public ExternalPeer(ExternalTlsProcess process, ExternalTool tool, TlsRole role)
    {
        _process = process;
        _tool = tool;
        _role = role;
    }

    public override string Name => (_tool, _role) switch
    {
        (ExternalTool.OpenSsl, TlsRole.Server) => "openssl s_server",
        (ExternalTool.OpenSsl, _) => "openssl s_client",
        (ExternalTool.GnuTls, TlsRole.Server) => "gnutls-serv",
        _ => "gnutls-cli",
    };

    public ExternalTlsProcess Process => _process;

    public override byte[] Received => _process.ReceivedData;

    public override Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _process.WriteAsync(data, cancellationToken);

    public override async Task<byte[]> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = _process.ReceivedData;
            if (received.Length >= count || DateTime.UtcNow >= deadline)
            {
                return received;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // Closing stdin: the clients send close_notify and close; s_server closes without its close_notify reaching
    // the wire (FACTS.md), which is why the catalogue never asks it to initiate.
    public override Task BeginCloseAsync(CancellationToken cancellationToken) => _process.CloseInputAsync();

    // Killing the process makes the kernel close the socket: FIN (or RST over unread bytes), never a TLS alert.
    // Closing stdin is not an abort: even s_server was seen to get its close_notify out first.
    public override async Task AbortAsync() => await _process.DisposeAsync().ConfigureAwait(false);

    public override async Task<PeerEnd> WaitForEndAsync(
        TimeSpan timeout,
        CancellationToken cancellationToken,
        ReadOnlyMemory<byte> lateData = default)
    {
        var seen = await _process.WaitForObservationAsync(timeout).ConfigureAwait(false);
        var observation = seen switch
        {
            ExternalObservation.CleanClose => PeerObservation.CleanClose,
            ExternalObservation.Truncated => PeerObservation.Truncated,
            ExternalObservation.AlertReceived => PeerObservation.AlertReceived,
            ExternalObservation.Reset => PeerObservation.Reset,
            ExternalObservation.HandshakeFailed => PeerObservation.HandshakeFailed,
            ExternalObservation.CertificateRejected => PeerObservation.CertificateRejected,
            _ => PeerObservation.Unknown,
        };
        return new PeerEnd(observation, $"{Name} output: {Tail(_process.Output)}");
    }

    public override ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Tail(string output)
    {
        var text = output.Replace('\n', ' ').Replace('\r', ' ').Trim();
        return text.Length <= 300 ? text : "..." + text[^300..];
    }
}
