using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>Close never notifies (CONFORMANCE group C).</summary>
public sealed class CloseTests
{
    [Theory]
    [InlineData(TlsRole.Client)]
    [InlineData(TlsRole.Server)]
    public void Close_AfterHandshakeAndData_SendsNothingPeerSeesTruncation(TlsRole who)
    {
        using var pair = new Pair();
        pair.Handshake();
        Pair.Transfer(pair.Client, pair.Server, "data"u8.ToArray());
        var (closing, end, peer) = who == TlsRole.Client
            ? (pair.Client, pair.Link.A, pair.Server)
            : (pair.Server, pair.Link.B, pair.Client);
        int sent = end.Sent.Length;

        closing.Close();
        var error = Assert.Throws<TlsException>(() => Pair.Drain(peer));

        Assert.Equal(sent, end.Sent.Length);
        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public void Dispose_IsClose_SendsNothing()
    {
        using var pair = new Pair();
        pair.Handshake();
        int sent = pair.Link.A.Sent.Length;

        pair.Client.Dispose();

        Assert.Equal(sent, pair.Link.A.Sent.Length);
        Assert.True(pair.Client.IsClosed);
    }

    [Fact]
    public void Close_WhileShutdownWaitsForPeer_NoSecondAlert()
    {
        using var pair = new Pair();
        pair.Handshake();
        int mark = pair.Link.A.Sent.Length;
        pair.Client.Shutdown();

        pair.Client.Close();

        Assert.Equal(1, WireRecords.CountAlerts(pair.Link.A.Sent, mark, TlsProtocols.Tls13));
        Assert.Equal(IoStatus.EndOfStream, Pair.Drain(pair.Server).Last);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Close_ClientMidHandshake_SendsNoAlertAtAll(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Client.Connect();
        int sent = pair.Link.A.Sent.Length;

        pair.Client.Close();

        Assert.Equal(sent, pair.Link.A.Sent.Length);
        Assert.DoesNotContain(WireRecords.Parse(pair.Link.A.Sent), r => r.Type == WireRecords.Alert);
    }

    [Theory]
    [InlineData(TlsProtocols.Tls12)]
    [InlineData(TlsProtocols.Tls13)]
    public void Close_ServerMidHandshake_SendsNoAlertAtAll(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Client.Connect();
        pair.Server.Connect();
        int sent = pair.Link.B.Sent.Length;
        Assert.False(pair.Server.IsConnected);

        pair.Server.Close();
        var buffer = new byte[16];
        var error = Assert.Throws<TlsException>(
            () => Pair.Until(
                () => pair.Client.Connect() == Progress.Done && pair.Client.Receive(buffer).IsEndOfStream,
                "the client's end of stream"));

        Assert.Equal(sent, pair.Link.B.Sent.Length);

        // TLS 1.3 clients finish after one round trip, so they see the cut as truncation instead.
        Assert.Contains(error.Kind, new[] { TlsErrorKind.Handshake, TlsErrorKind.Truncated });
    }

    [Fact]
    public void Close_WithQueuedData_WritesNothingMore()
    {
        using var pair = new Pair();
        pair.Handshake();
        pair.Link.A.SendBlocked = true;
        pair.Client.Send(new byte[1000]);
        int sent = pair.Link.A.Sent.Length;

        pair.Client.Close();
        pair.Link.A.SendBlocked = false;

        Assert.Equal(sent, pair.Link.A.Sent.Length);
    }
}
