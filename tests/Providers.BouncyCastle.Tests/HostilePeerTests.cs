using System.Text;
using Vtls.Tests.Support;

namespace Vtls.Tests;

/// <summary>Peers that send bytes no TLS implementation would: the filter fails at once, and honestly.</summary>
public sealed class HostilePeerTests
{
    // An SSLv2 ClientHello: a 2-byte length with the high bit set, msg_type 1, version 3.1, then the lengths of
    // the cipher specs (21), session id (0) and challenge (16), the specs and the challenge.
    private static readonly byte[] s_sslv2Hello =
        [0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10, .. new byte[21 + 16]];

    [Fact]
    public void Connect_ServerGetsHttp_FailsAtOnceAsNotTls()
    {
        using var pair = new Pair();
        pair.Link.B.Inject(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));

        var e = Assert.Throws<TlsException>(() => pair.Server.Connect());

        Assert.Equal(TlsErrorKind.Handshake, e.Kind);
        Assert.Contains("look like HTTP ('GET /')", e.Message);
        Assert.False(pair.Server.IsCloseNotifySent);
    }

    [Fact]
    public void Connect_ServerGetsSslv2Hello_FailsAtOnceNamingSslv2()
    {
        using var pair = new Pair();
        pair.Link.B.Inject(s_sslv2Hello);

        var e = Assert.Throws<TlsException>(() => pair.Server.Connect());

        Assert.Equal(TlsErrorKind.Handshake, e.Kind);
        Assert.Contains("SSLv2", e.Message);
    }

    [Fact]
    public void Connect_ServerGetsWrongVersionByte_FailsNamingTheHeader()
    {
        using var pair = new Pair();
        pair.Link.B.Inject([0x16, 0x45, 0x54, 0x00, 0x10]);

        var e = Assert.Throws<TlsException>(() => pair.Server.Connect());

        Assert.Equal(TlsErrorKind.Handshake, e.Kind);
        Assert.Contains("content type 0x16 and version 0x4554", e.Message);
    }

    [Fact]
    public void Receive_HttpAfterHandshake_FailsAsProtocolError()
    {
        using var pair = new Pair();
        pair.Handshake();
        pair.Link.A.Inject(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));

        var e = Assert.Throws<TlsException>(() => pair.Client.Receive(new byte[64]));

        Assert.Equal(TlsErrorKind.Protocol, e.Kind);
        Assert.Contains("content type 0x48 and version 0x5454", e.Message);
        Assert.False(pair.Client.IsCloseNotifySent);
    }

    [Fact]
    public void Connect_ClientGetsEmptyServerHello_FailsAsHandshakeNotTruncated()
    {
        using var pair = new Pair();
        pair.Client.Connect();
        pair.Link.A.Inject([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00]);

        var e = Assert.Throws<TlsException>(() => pair.Client.Connect());

        Assert.Equal(TlsErrorKind.Handshake, e.Kind);
        Assert.Contains("malformed", e.Message);
    }

    [Fact]
    public void Connect_ServerGetsZeroLengthRecord_ClaimsNoAlertItCouldNotSend()
    {
        using var pair = new Pair();
        pair.Link.B.Inject([0x16, 0x03, 0x03, 0x00, 0x00]);

        var e = Assert.Throws<TlsException>(() => pair.Server.Connect());

        Assert.Equal(TlsErrorKind.Handshake, e.Kind);
        Assert.Empty(pair.Link.B.Sent);
        Assert.Null(e.Alert);
        Assert.DoesNotContain("side sent", e.Message);
    }

    [Fact]
    public void Shutdown_OversizedRecordAfterOurCloseNotify_ClaimsNoAlert()
    {
        using var pair = new Pair();
        pair.Handshake();
        pair.Server.Shutdown();
        Assert.True(pair.Server.IsCloseNotifySent);
        int sent = pair.Link.B.Sent.Length;
        pair.Link.B.Inject([0x17, 0x03, 0x03, 0xff, 0xff]);

        var e = Assert.Throws<TlsException>(() => pair.Server.Shutdown());

        Assert.Equal(sent, pair.Link.B.Sent.Length);
        Assert.Null(e.Alert);
        Assert.DoesNotContain("side sent", e.Message);
    }
}
