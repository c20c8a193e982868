using System.Net.Sockets;
using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>Close never notifies (CONFORMANCE C01-C06): the peer must be able to tell an abort from an end.</summary>
public sealed class CloseTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-close");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsRole.Client)]
    [InlineData(TlsRole.Server)]
    public void Close_AfterHandshakeAndData_SendsNothingAndPeerSeesTruncation(TlsRole closing)
    {
        using var pair = TlsPair.Connected(_pki);
        var (closer, closerWire, peer) = closing == TlsRole.Client
            ? (pair.Client, pair.ClientWire, pair.Server)
            : (pair.Server, pair.ServerWire, pair.Client);
        Drive.Until(Drive.SendAll(closer, "some data"u8.ToArray()));
        Drive.Until(Drive.ReceiveExactly(peer, new MemoryStream(), 9));
        long sent = closerWire.SentBytes;

        closer.Close();
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(peer, new MemoryStream()));

        // C01, C02: no alert at all, so the peer reports an abort, never a clean end.
        Assert.Equal(sent, closerWire.SentBytes);
        Assert.False(closer.IsCloseNotifySent);
        Assert.True(error.Kind is TlsErrorKind.Truncated or TlsErrorKind.TransportReset, error.Message);
    }

    [Fact]
    public void Dispose_AfterHandshake_SameAsClose()
    {
        using var pair = TlsPair.Connected(_pki);
        long sent = pair.ClientWire.SentBytes;

        pair.Client.Dispose();
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));

        // C03. TLS 1.3 session tickets the client never read make its kernel answer with RST rather than FIN.
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        Assert.True(error.Kind is TlsErrorKind.Truncated or TlsErrorKind.TransportReset, error.Message);
        Assert.True(pair.Client.IsClosed);
    }

    [Fact]
    public void Close_WhileShutdownWaits_SendsNoSecondAlert()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        long sent = pair.ClientWire.SentBytes;

        pair.Client.Close();

        // C04: the one close_notify already left; nothing follows it.
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
    }

    [Fact]
    public void Close_MidHandshake_SendsNoAlert()
    {
        using var pair = TlsPair.Create(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Connect());
        Assert.Equal(Progress.WouldBlock, pair.Server.Connect());
        long sent = pair.ClientWire.SentBytes;

        pair.Client.Close();
        var error = Drive.UntilThrows(Drive.Connect(pair.Server));

        // C05: no user_canceled, no close_notify; the server sees the connection go away.
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        Assert.True(error.Kind is TlsErrorKind.Handshake or TlsErrorKind.TransportReset, error.Message);
    }

    [Fact]
    public void Close_WithDataQueued_WritesNothingMore()
    {
        ChoppyFilter? choppy = null;
        using var pair = TlsPair.Create(
            TlsPair.ClientOptions(_pki),
            TlsPair.ServerOptions(_pki),
            clientTransport: tcp => choppy = new ChoppyFilter(tcp) { ChopSends = false, ChopReceives = false });
        pair.Handshake();
        choppy!.ChopSends = true;
        Assert.True(pair.Client.Send(new byte[10_000]).Count > 0);
        long sent = pair.ClientWire.SentBytes;

        pair.Client.Close();

        // C06: the queued ciphertext is dropped, not flushed.
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        Assert.Throws<ObjectDisposedException>(() => pair.ClientTcp.Socket.Send(new byte[1], SocketFlags.None));
    }
}
