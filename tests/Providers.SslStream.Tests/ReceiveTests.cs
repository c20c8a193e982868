using System.Net.Sockets;
using Vtls.Conformance.Pki;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>
/// Receive tells a finished stream from a cut one (CONFORMANCE R01-R09). SslStream reports close_notify and a
/// bare FIN alike; these tests pin the provider's way of telling them apart, which rests on SslStream's
/// behaviour rather than its contract.
/// </summary>
public sealed class ReceiveTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("sslstream-receive");

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_CloseNotifyThenFin_EndOfStreamOnEveryCall(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);

        Assert.Equal(Progress.WouldBlock, pair.Server.Shutdown());
        pair.ServerTcp.Socket.Shutdown(SocketShutdown.Send);
        Drive.Until(Drive.ReceiveToEnd(pair.Client, new MemoryStream()));

        // R01
        Assert.True(pair.Client.IsCloseNotifyReceived);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(IoResult.EndOfStream, pair.Client.Receive(new byte[64]));
        }
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_FinAtRecordBoundary_TruncatedNotEndOfStream(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        var received = new MemoryStream();

        Drive.Until(Drive.SendAll(pair.Server, "complete record"u8.ToArray()));
        pair.ServerTcp.Socket.Shutdown(SocketShutdown.Send);
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(pair.Client, received));

        // R02: the data arrives, then the FIN is reported as truncation.
        Assert.Equal("complete record"u8.ToArray(), received.ToArray());
        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
        Assert.False(pair.Client.IsCloseNotifyReceived);
        Assert.Same(error, Assert.Throws<TlsException>(() => pair.Client.Receive(new byte[64])));
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_FinInsideRecord_Truncated(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        pair.ServerWire.Hold = true;
        Drive.Until(Drive.SendAll(pair.Server, new byte[1000]));
        var record = pair.ServerWire.TakeHeld();

        Loopback.SendRaw(pair.ServerTcp.Socket, record[..(record.Length / 2)]);
        pair.ServerTcp.Socket.Shutdown(SocketShutdown.Send);
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(pair.Client, new MemoryStream()));

        // R03
        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
        Assert.Contains("middle of a record", error.Message);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_RecordAfterCloseNotify_IgnoredAndEndOfStream(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        pair.ServerWire.Hold = true;
        Drive.Until(Drive.SendAll(pair.Server, "once"u8.ToArray()));
        var dataRecord = pair.ServerWire.TakeHeld();
        pair.ServerWire.Hold = false;
        var received = new MemoryStream();

        // SslStream cannot encrypt after its close_notify, so the late record is a replay of the earlier one:
        // on the wire, data, close_notify, then application data again.
        Loopback.SendRaw(pair.ServerTcp.Socket, dataRecord);
        Assert.Equal(Progress.WouldBlock, pair.Server.Shutdown());
        Loopback.SendRaw(pair.ServerTcp.Socket, dataRecord);
        Drive.Until(Drive.ReceiveToEnd(pair.Client, received));

        // R04: end of stream, again and again; the bytes after the alert never reach the application.
        Assert.Equal("once"u8.ToArray(), received.ToArray());
        Assert.Equal(IoResult.EndOfStream, pair.Client.Receive(new byte[64]));
        Assert.Equal(Progress.Done, pair.Client.Shutdown());
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_DataAndCloseNotifyInOneFlight_AllDataThenEndOfStream(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        var payload = new byte[100_000];
        new Random(5).NextBytes(payload);
        var received = new MemoryStream();
        pair.ServerWire.Hold = true;
        Drive.Until(Drive.SendAll(pair.Server, payload));
        Assert.Equal(Progress.WouldBlock, pair.Server.Shutdown());

        Loopback.SendRaw(pair.ServerTcp.Socket, pair.ServerWire.TakeHeld());
        pair.ServerTcp.Socket.Shutdown(SocketShutdown.Send);
        Drive.Until(Drive.ReceiveToEnd(pair.Client, received));

        // R05
        Assert.Equal(payload, received.ToArray());
        Assert.True(pair.Client.IsCloseNotifyReceived);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Receive_TamperedRecord_ProtocolErrorKeptAndShutdownSendsNothing(TlsProtocols protocol)
    {
        using var pair = TlsPair.Connected(_pki, protocol);
        pair.ServerWire.Hold = true;
        Drive.Until(Drive.SendAll(pair.Server, "tampered"u8.ToArray()));
        var record = pair.ServerWire.TakeHeld();
        record[^1] ^= 0x55;

        Loopback.SendRaw(pair.ServerTcp.Socket, record);
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(pair.Client, new MemoryStream()));
        long sent = pair.ClientWire.SentBytes;

        // The forgery is a fatal error of this side: kept, rethrown by later calls, and shutdown sends no
        // close_notify after it (S11). The alert received side is pinned against openssl s_server.
        Assert.Equal(TlsErrorKind.Protocol, error.Kind);
        Assert.Contains("bad record mac", error.Message);
        Assert.Same(error, Assert.Throws<TlsException>(() => pair.Client.Send("more"u8)));
        Assert.Same(error, Assert.Throws<TlsException>(() => pair.Client.Shutdown()));
        Assert.Equal(sent, pair.ClientWire.SentBytes);
        Assert.False(pair.Client.IsCloseNotifySent);
    }

    [Fact]
    public void Receive_PeerResets_TransportResetDistinctFromTruncation()
    {
        using var pair = TlsPair.Connected(_pki);

        Loopback.Reset(pair.ServerTcp.Socket);
        var error = Drive.UntilThrows(Drive.ReceiveToEnd(pair.Client, new MemoryStream()));

        // R08
        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Fact]
    public void Connect_PeerClosesDuringHandshake_FailsWithClearError()
    {
        using var pair = TlsPair.Create(_pki);

        Assert.Equal(Progress.WouldBlock, pair.Client.Connect());
        pair.ServerTcp.Socket.Shutdown(SocketShutdown.Both);
        var error = Drive.UntilThrows(Drive.Connect(pair.Client));

        // R09
        Assert.Equal(TlsErrorKind.Handshake, error.Kind);
        Assert.Contains("closed the connection during the handshake", error.Message);
    }
}
