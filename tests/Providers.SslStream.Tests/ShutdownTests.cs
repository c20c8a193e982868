using System.Net.Sockets;
using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>The graceful shutdown (DESIGN.md 2, shutdown rules; CONFORMANCE S01-S14), judged on the wire.</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-shutdown");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Shutdown_ClientFirst_OneCloseNotifyEachWayAndDone(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        int clientRecords = pair.ClientWire.SentRecords.Count;
        var received = new MemoryStream();

        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Assert.Equal(IoInterest.Read, pair.Client.Interest);
        Assert.True(pair.Client.IsCloseNotifySent);
        Assert.False(pair.Client.IsShutDown);
        Drive.Until(Drive.ReceiveToEnd(pair.Server, received));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));

        Assert.True(pair.Client.IsShutDown);
        Assert.True(pair.Client.IsCloseNotifyReceived);
        Assert.True(pair.Server.IsCloseNotifySent);
        Assert.Equal(0, received.Length);
        AssertOneCloseNotify(pair, pair.ClientWire.SentRecords.Skip(clientRecords));
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Shutdown_PeerClosedFirst_SendsOneCloseNotifyWithoutWaiting(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        int serverRecords = pair.ServerWire.SentRecords.Count;

        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        var progress = pair.Server.Shutdown();

        // S03: the server answered the client's close_notify and has nothing to wait for.
        Assert.Equal(Progress.Done, progress);
        Assert.True(pair.Server.IsCloseNotifyReceived);
        AssertOneCloseNotify(pair, pair.ServerWire.SentRecords.Skip(serverRecords));
        Drive.Until(Drive.Shutdown(pair.Client));
    }

    [Fact]
    public void Shutdown_PeerSendsDataBeforeAnswering_DataDiscardedAndDone()
    {
        var log = new ListLoggerFactory();
        var clientOptions = TlsPair.ClientOptions(_pki);
        clientOptions.LoggerFactory = log;
        using var pair = TlsPair.Create(clientOptions, TlsPair.ServerOptions(_pki));
        pair.Handshake();
        var late = new byte[40_000];

        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Drive.Until(Drive.SendAll(pair.Server, late));
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));

        // S04: every late byte was read off the socket and dropped, none delivered.
        int discarded = log.Entries.Where(e => e.EventId.Id == 2014)
            .Sum(e => int.Parse(e.Message.Split(' ').First(w => w.All(char.IsDigit) && w.Length > 0)));
        Assert.Equal(late.Length, discarded);
        Assert.Equal(IoResult.EndOfStream, pair.Client.Receive(new byte[16]));
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Shutdown_TransportWouldBlocksAndTakesOneByte_OneIntactCloseNotify(TlsProtocols protocol)
    {
        ChoppyFilter? choppy = null;
        using var pair = TlsPair.Create(
            TlsPair.ClientOptions(_pki, protocol),
            TlsPair.ServerOptions(_pki, protocol),
            clientTransport: tcp => choppy = new ChoppyFilter(tcp) { ChopSends = false, ChopReceives = false });
        pair.Handshake();
        choppy!.ChopSends = true;
        int clientRecords = pair.ClientWire.SentRecords.Count;
        int wouldBlocks = 0;

        Drive.Until(
            () =>
            {
                // Until the alert is out; completing needs the server's answer, driven below.
                wouldBlocks += pair.Client.Shutdown() == Progress.WouldBlock ? 1 : 0;
                return pair.Client.IsCloseNotifySent;
            },
            Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));

        // S05: many would-blocks and one-byte writes, yet one close_notify that the server read as such.
        Assert.True(choppy!.PartialSends > 0);
        Assert.True(wouldBlocks > 1);
        Assert.True(pair.Server.IsCloseNotifyReceived);
        AssertOneCloseNotify(pair, pair.ClientWire.SentRecords.Skip(clientRecords));
    }

    [Fact]
    public void Shutdown_PeerNeverAnswers_WaitsForReadAndSendsNothingMore()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        long sent = pair.ClientWire.SentBytes;

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        }

        // S06: not done, waiting for input (no spinning on write), and no second alert.
        Assert.Equal(IoInterest.Read, pair.Client.Interest);
        Assert.Equal(sent, pair.ClientWire.SentBytes);
    }

    [Fact]
    public void Shutdown_PeerClosesTcpWithoutCloseNotify_FailsAsTruncated()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());

        pair.ServerTcp.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var error = Drive.UntilThrows(Drive.Shutdown(pair.Client));

        // S07
        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
        Assert.Contains("during shutdown", error.Message);
    }

    [Fact]
    public void Shutdown_PeerResets_FailsAsTransportReset()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());

        Loopback.Reset(pair.ServerTcp.Socket);
        var error = Drive.UntilThrows(Drive.Shutdown(pair.Client));

        // S08
        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Fact]
    public void Shutdown_AgainAfterDone_DoneAndWritesNothing()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));
        long sent = pair.ClientWire.SentBytes;

        // S09
        Assert.Equal(Progress.Done, pair.Client.Shutdown());
        Assert.Equal(sent, pair.ClientWire.SentBytes);
    }

    [Fact]
    public void Send_AfterShutdownStarted_MisuseAndWritesNothing()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        long sent = pair.ClientWire.SentBytes;

        var error = Assert.Throws<TlsException>(() => pair.Client.Send("late"u8));

        // S12
        Assert.Equal(TlsErrorKind.Misuse, error.Kind);
        Assert.Equal(sent, pair.ClientWire.SentBytes);
    }

    [Fact]
    public void Shutdown_BeforeHandshake_DoneAndSendsNothing()
    {
        using var pair = TlsPair.Create(_pki);

        // S10
        Assert.Equal(Progress.Done, pair.Client.Shutdown());
        Assert.Equal(0, pair.ClientWire.SentBytes);
        Assert.False(pair.Client.IsCloseNotifySent);
    }

    [Fact]
    public void Receive_DuringShutdown_DeliversPeerDataUntilItsCloseNotify()
    {
        using var pair = TlsPair.Connected(_pki);
        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        var received = new MemoryStream();

        Drive.Until(Drive.SendAll(pair.Server, "after your close_notify"u8.ToArray()));
        Drive.Until(Drive.ReceiveToEnd(pair.Server, new MemoryStream()));
        Drive.Until(Drive.Shutdown(pair.Server));
        Drive.Until(Drive.ReceiveToEnd(pair.Client, received));

        // S14: half-close, for a caller that keeps receiving after its own close_notify.
        Assert.Equal("after your close_notify", System.Text.Encoding.ASCII.GetString(received.ToArray()));
        Assert.Equal(Progress.Done, pair.Client.Shutdown());
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Shutdown_ReplyAlreadyArrived_SendingStepLeavesItForReceive(TlsProtocols protocol)
    {
        // Regression: 'echo hello | vtls connect' to an echo server lost the echo when it arrived before the
        // shutdown step that sent close_notify, which read and discarded it; the run still ended "clean".
        using var pair = TlsPair.Connected(_pki, protocol);
        Drive.Until(Drive.SendAll(pair.Server, "hello"u8.ToArray()), () => pair.Server.Flush() == Progress.Done);
        Assert.True(pair.ClientTcp.Socket.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead));
        var received = new MemoryStream();

        Assert.Equal(Progress.WouldBlock, pair.Client.Shutdown());
        Assert.True(pair.Client.IsCloseNotifySent);
        Drive.Until(Drive.ReceiveExactly(pair.Client, received, 5));

        Assert.Equal("hello"u8.ToArray(), received.ToArray());
    }

    [Fact]
    public void Shutdown_LargeTransferThroughChoppyTransport_PeerGetsEveryByteThenEndOfStream()
    {
        using var pair = TlsPair.Create(
            TlsPair.ClientOptions(_pki),
            TlsPair.ServerOptions(_pki),
            clientTransport: tcp => new ChoppyFilter(tcp, maxBytes: 7000));
        pair.Handshake();
        var payload = new byte[1 << 20];
        new Random(13).NextBytes(payload);
        var received = new MemoryStream();

        // S13: data then close_notify, through would-blocks and partial writes.
        var send = Drive.SendAll(pair.Client, payload);
        Drive.Until(
            () => send() && pair.Client.Shutdown() == Progress.WouldBlock && pair.Client.IsCloseNotifySent,
            Drive.ReceiveToEnd(pair.Server, received));
        Drive.Until(Drive.Shutdown(pair.Server), Drive.Shutdown(pair.Client));

        Assert.Equal(payload, received.ToArray());
    }

    private static void AssertOneCloseNotify(TlsPair pair, IEnumerable<TapRecord> records)
    {
        var sent = records.ToArray();
        byte type = pair.Client.NegotiatedProtocol == TlsProtocols.Tls13
            ? TapRecord.ApplicationData
            : TapRecord.Alert;
        Assert.Equal([new TapRecord(type, pair.CloseNotifyLength)], sent);
    }
}
