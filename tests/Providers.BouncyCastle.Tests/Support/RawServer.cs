using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Vtls.Providers.BouncyCastle.Peers;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;

namespace Vtls.Tests.Support;

/// <summary>
/// A bare BouncyCastle server on a <see cref="MemoryEnd"/> that misbehaves on request: alerts of any kind, data
/// after its close_notify. It plays the peer in receive scenarios no well-behaved filter produces.
/// </summary>
internal sealed class RawServer : TlsServerProtocol
{
    private readonly MemoryEnd _end;

    public RawServer(MemoryEnd end, TlsOptions options)
    {
        _end = end;
        Accept(new VtlsTlsServer(new BcTlsCrypto(new SecureRandom()), options, new IgnoreEvents()));
    }

    /// <summary>Moves bytes both ways once.</summary>
    public void Pump()
    {
        var buffer = new byte[1 << 16];
        var read = _end.Receive(buffer);
        if (read.Status == IoStatus.Completed)
        {
            OfferInput(buffer, 0, read.Count);
        }

        Flush();
    }

    /// <summary>Handshakes with <paramref name="client"/>.</summary>
    public void Handshake(TlsFilter client) =>
        Pair.Until(
            () =>
            {
                bool done = client.Connect() == Progress.Done;
                Pump();
                return done && IsConnected;
            },
            "the raw handshake");

    public void SendData(byte[] data, bool flush = true)
    {
        WriteApplicationData(data, 0, data.Length);
        if (flush)
        {
            Flush();
        }
    }

    public void SendAlert(short level, short description, bool flush = true)
    {
        if (level == AlertLevel.fatal)
        {
            RaiseAlertFatal(description, "test", null!);
        }
        else
        {
            RaiseAlertWarning(description, "test");
        }

        if (flush)
        {
            Flush();
        }
    }

    public override void Flush()
    {
        int available = GetAvailableOutputBytes();
        if (available == 0)
        {
            return;
        }

        var bytes = new byte[available];
        ReadOutput(bytes, 0, available);
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += _end.Send(bytes.AsSpan(sent)).Count;
        }
    }

    private sealed class IgnoreEvents : IPeerEvents
    {
        public void AlertRaised(short level, short description, string? message, Exception? cause)
        {
        }

        public void AlertReceived(short level, short description)
        {
        }

        public void HandshakeCompleted()
        {
        }

        public void VerifyPeerCertificate(BcCertificate chain, bool isTls13)
        {
        }
    }
}
