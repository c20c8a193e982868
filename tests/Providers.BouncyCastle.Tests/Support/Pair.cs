using Microsoft.Extensions.Logging;
using Vtls.Conformance.Pki;
using Vtls.Providers.BouncyCastle;

namespace Vtls.Tests.Support;

/// <summary>
/// A bouncycastle client and server joined by a <see cref="MemoryLink"/>, with helpers that drive both sides in
/// turn. Every loop is bounded, so a broken filter fails a test instead of hanging it.
/// </summary>
internal sealed class Pair : IDisposable
{
    public const int MaxSteps = 200_000;

    private static readonly Lazy<TestPki> s_pki = new(() => TestPki.Create("Vtls BC tests"));

    public Pair(
        TlsProtocols protocols = TlsProtocols.Tls12And13,
        Action<TlsOptions>? client = null,
        Action<TlsOptions>? server = null)
    {
        ClientOptions = new TlsOptions
        {
            ServerName = TestPki.ServerName,
            Trust = TlsTrust.CustomRoots(Pki.Root),
            Protocols = protocols,
            LoggerFactory = ClientLog,
        };
        ServerOptions = new TlsOptions
        {
            Certificate = Pki.Server,
            Protocols = protocols,
            Trust = TlsTrust.CustomRoots(Pki.Root),
            LoggerFactory = ServerLog,
        };
        client?.Invoke(ClientOptions);
        server?.Invoke(ServerOptions);
        Link = MemoryLink.Create();
        Client = BouncyCastleBackend.Instance.CreateClient(Link.A, ClientOptions);
        Server = BouncyCastleBackend.Instance.CreateServer(Link.B, ServerOptions);
    }

    public static TestPki Pki => s_pki.Value;

    public CapturingLoggerFactory ClientLog { get; } = new();

    public CapturingLoggerFactory ServerLog { get; } = new();

    public TlsOptions ClientOptions { get; }

    public TlsOptions ServerOptions { get; }

    public MemoryLink Link { get; }

    public TlsFilter Client { get; }

    public TlsFilter Server { get; }

    /// <summary>The protocol the pair negotiated.</summary>
    public TlsProtocols Protocol => Client.NegotiatedProtocol;

    /// <summary>Runs both handshakes to completion.</summary>
    public void Handshake()
    {
        for (int i = 0; i < MaxSteps; i++)
        {
            bool client = Client.Connect() == Progress.Done;
            bool server = Server.Connect() == Progress.Done;
            if (client && server)
            {
                return;
            }
        }

        throw new TimeoutException("The handshake did not finish within the step bound.");
    }

    /// <summary>Steps <paramref name="step"/> until it returns true, failing after the bound.</summary>
    public static void Until(Func<bool> step, string what) => Until(step, () => what);

    /// <summary>Steps <paramref name="step"/> until it returns true, failing after the bound.</summary>
    public static void Until(Func<bool> step, Func<string> what)
    {
        for (int i = 0; i < MaxSteps; i++)
        {
            if (step())
            {
                return;
            }
        }

        throw new TimeoutException($"{what()} did not happen within the step bound.");
    }

    /// <summary>Sends all of <paramref name="data"/> from one side while the other receives it.</summary>
    public static byte[] Transfer(ConnectionFilter from, ConnectionFilter to, byte[] data)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int sent = 0;
        Until(
            () =>
            {
                if (sent < data.Length)
                {
                    sent += from.Send(data.AsSpan(sent)).Count;
                }
                else
                {
                    // The contract: a driver flushes before it waits for the peer.
                    from.Flush();
                }

                var got = to.Receive(buffer);
                if (got.Status == IoStatus.Completed)
                {
                    received.Write(buffer, 0, got.Count);
                }

                return received.Length >= data.Length;
            },
            () => $"the transfer of {data.Length} bytes (sent {sent}, received {received.Length})");
        return received.ToArray();
    }

    /// <summary>Receives until end-of-stream or would-block, returning what arrived and how it ended.</summary>
    public static (byte[] Data, IoStatus Last) Drain(ConnectionFilter filter)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        for (int i = 0; i < MaxSteps; i++)
        {
            var r = filter.Receive(buffer);
            if (r.Status != IoStatus.Completed)
            {
                return (received.ToArray(), r.Status);
            }

            received.Write(buffer, 0, r.Count);
        }

        throw new TimeoutException("Receive never stopped returning data.");
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
