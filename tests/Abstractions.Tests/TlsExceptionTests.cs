namespace Vtls.Tests;

/// <summary>The exception family and alert names.</summary>
public class TlsExceptionTests
{
    [Theory]
    [InlineData(TlsAlertDescription.CloseNotify, "close_notify")]
    [InlineData(TlsAlertDescription.BadRecordMac, "bad_record_mac")]
    [InlineData(TlsAlertDescription.UnknownCa, "unknown_ca")]
    [InlineData(TlsAlertDescription.UserCanceled, "user_canceled")]
    [InlineData(TlsAlertDescription.BadCertificateStatusResponse, "bad_certificate_status_response")]
    [InlineData(TlsAlertDescription.NoApplicationProtocol, "no_application_protocol")]
    public void ToRfcName_KnownAlert_RfcSpelling(TlsAlertDescription alert, string expected)
    {
        Assert.Equal(expected, alert.ToRfcName());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    public void ToRfcName_UnknownValue_NamesTheCode(byte code)
    {
        Assert.Equal($"alert({code})", ((TlsAlertDescription)code).ToRfcName());
    }

    [Fact]
    public void ToRfcName_EveryDefinedAlert_LowerSnakeCase()
    {
        Assert.All(Enum.GetValues<TlsAlertDescription>(), a =>
            Assert.Matches("^[a-z]+(_[a-z]+)*$", a.ToRfcName()));
    }

    [Fact]
    public void TlsException_IsAnIOException()
    {
        Exception e = new TlsException(TlsErrorKind.Truncated, "cut");

        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public void AlertReceived_KindAlertAndMessageName()
    {
        var inner = new InvalidOperationException("provider");

        var e = TlsException.AlertReceived(TlsAlertDescription.BadRecordMac, inner);

        Assert.Equal(TlsErrorKind.AlertReceived, e.Kind);
        Assert.Equal(TlsAlertDescription.BadRecordMac, e.Alert);
        Assert.Contains("bad_record_mac (20)", e.Message);
        Assert.Same(inner, e.InnerException);
    }

    [Fact]
    public void Truncated_KindAndWhere()
    {
        var e = TlsException.Truncated("during receive");

        Assert.Equal(TlsErrorKind.Truncated, e.Kind);
        Assert.Null(e.Alert);
        Assert.Contains("during receive", e.Message);
        Assert.Contains("close_notify", e.Message);
    }

    [Fact]
    public void Misuse_Kind()
    {
        Assert.Equal(TlsErrorKind.Misuse, TlsException.Misuse("no").Kind);
    }
}
