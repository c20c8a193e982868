using Org.BouncyCastle.Tls;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>Receive tells a finished stream from a cut one (CONFORMANCE group R).</summary>
public sealed class ReceiveTests
{
    public static TheoryData<TlsProtocols> Versions => new() { TlsProtocols.Tls12, TlsProtocols.Tls13 };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_CloseNotifyThenFin_EndOfStreamOnEveryCall(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Handshake();
        pair.Server.Shutdown();
        pair.Link.B.SendFin();

        var first = Pair.Drain(pair.Client).Last;
        var second = pair.Client.Receive(new byte[10]).Status;
        var third = pair.Client.Receive(new byte[10]).Status;

        Assert.Equal((IoStatus.EndOfStream, IoStatus.EndOfStream, IoStatus.EndOfStream), (first, second, third));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_FinAtRecordBoundary_Truncated(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Handshake();
        Pair.Transfer(pair.Server, pair.Client, "complete record"u8.ToArray());

        pair.Link.B.SendFin();
        var error = Assert.Throws<TlsException>(() => Pair.Drain(pair.Client));

        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
        Assert.Contains("without close_notify", error.Message);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_FinInsideRecord_Truncated(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Handshake();
        pair.Server.Send(new byte[300]);

        pair.Link.A.DropLastInbound(100);
        pair.Link.B.SendFin();
        var error = Assert.Throws<TlsException>(() => Pair.Drain(pair.Client));

        Assert.Equal(TlsErrorKind.Truncated, error.Kind);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_DataAfterCloseNotify_NeverDelivered(TlsProtocols version)
    {
        using var pair = new Pair(version);
        var raw = new RawServer(pair.Link.B, pair.ServerOptions);
        raw.Handshake(pair.Client);

        raw.SendAlert(AlertLevel.warning, AlertDescription.close_notify);
        raw.SendData("too late"u8.ToArray());
        var (data, last) = Pair.Drain(pair.Client);

        Assert.Empty(data);
        Assert.Equal(IoStatus.EndOfStream, last);
        Assert.Equal(IoStatus.EndOfStream, pair.Client.Receive(new byte[10]).Status);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_DataAndCloseNotifyInOneSegment_AllDataThenEndOfStream(TlsProtocols version)
    {
        using var pair = new Pair(version);
        var raw = new RawServer(pair.Link.B, pair.ServerOptions);
        raw.Handshake(pair.Client);
        var payload = new byte[40_000];
        Random.Shared.NextBytes(payload);

        raw.SendData(payload, flush: false);
        raw.SendAlert(AlertLevel.warning, AlertDescription.close_notify);
        var (data, last) = Pair.Drain(pair.Client);

        Assert.Equal(payload, data);
        Assert.Equal(IoStatus.EndOfStream, last);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_FatalAlert_ErrorNamesItAndLaterSendsFail(TlsProtocols version)
    {
        using var pair = new Pair(version);
        var raw = new RawServer(pair.Link.B, pair.ServerOptions);
        raw.Handshake(pair.Client);

        raw.SendAlert(AlertLevel.fatal, AlertDescription.internal_error);
        var error = Assert.Throws<TlsException>(() => Pair.Drain(pair.Client));
        var later = Assert.Throws<TlsException>(() => pair.Client.Send("x"u8));

        Assert.Equal(TlsErrorKind.AlertReceived, error.Kind);
        Assert.Equal(TlsAlertDescription.InternalError, error.Alert);
        Assert.Contains("internal_error", error.Message);
        Assert.Same(error, later);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_UserCanceledThenCloseNotify_NormalClose(TlsProtocols version)
    {
        using var pair = new Pair(version);
        var raw = new RawServer(pair.Link.B, pair.ServerOptions);
        raw.Handshake(pair.Client);

        raw.SendAlert(AlertLevel.warning, AlertDescription.user_canceled);
        raw.SendAlert(AlertLevel.warning, AlertDescription.close_notify);
        var (_, last) = Pair.Drain(pair.Client);

        Assert.Equal(IoStatus.EndOfStream, last);
        Assert.Equal(Progress.Done, pair.Client.Shutdown());
    }

    [Fact]
    public void Receive_PeerResets_TransportResetNotTruncation()
    {
        using var pair = new Pair();
        pair.Handshake();

        pair.Link.B.SendReset();
        var error = Assert.Throws<TlsException>(() => Pair.Drain(pair.Client));

        Assert.Equal(TlsErrorKind.TransportReset, error.Kind);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Receive_CorruptedRecord_ProtocolErrorWithAlertSent(TlsProtocols version)
    {
        using var pair = new Pair(version);
        pair.Handshake();
        pair.Server.Send(new byte[100]);
        int clientSent = pair.Link.A.Sent.Length;

        pair.Link.A.CorruptInbound(3);
        var error = Assert.Throws<TlsException>(() => Pair.Drain(pair.Client));

        Assert.Equal(TlsErrorKind.Protocol, error.Kind);
        Assert.Equal(TlsAlertDescription.BadRecordMac, error.Alert);
        Assert.True(pair.Link.A.Sent.Length > clientSent, "the fatal alert was not sent");
        var peer = Assert.Throws<TlsException>(() => Pair.Drain(pair.Server));
        Assert.Equal(TlsAlertDescription.BadRecordMac, peer.Alert);
    }

    [Fact]
    public void HasBufferedInput_DataLeftInProtocol_True()
    {
        using var pair = new Pair();
        pair.Handshake();
        pair.Server.Send(new byte[1000]);

        pair.Client.Receive(new byte[10]);

        Assert.True(pair.Client.HasBufferedInput);
    }
}
