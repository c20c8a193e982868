using Vtls.Conformance.Wire;

namespace Vtls.Tests.Wire;

public class WireAnalysisTests
{
    private static WireRecord Record(byte type, int length, long offset = 0) =>
        new(WireDirection.ClientToServer, type, 0x0303, length, offset, false);

    [Theory]
    [InlineData(23, 19, TlsProtocols.Tls13, true)]
    [InlineData(23, 20, TlsProtocols.Tls13, false)]
    [InlineData(21, 26, TlsProtocols.Tls13, false)]
    [InlineData(21, 26, TlsProtocols.Tls12, true)]
    [InlineData(21, 18, TlsProtocols.Tls12, true)]
    [InlineData(23, 19, TlsProtocols.Tls12, false)]
    [InlineData(21, 2, TlsProtocols.Tls13, true)]
    [InlineData(22, 19, TlsProtocols.Tls12And13, false)]
    public void IsAlertSized_MatchesTheAeadAlertSizes(byte type, int length, TlsProtocols protocol, bool expected)
    {
        Assert.Equal(expected, WireAnalysis.IsAlertSized(Record(type, length), protocol));
    }

    [Fact]
    public void CountAlertSizedRecordsAfter_CountsOnlyFromTheOffset()
    {
        var log = new WireDirectionLog(WireDirection.ClientToServer);
        log.Append(Support.Records.Concat(
            Support.Records.Tls13Alert(), Support.Records.Data(100), Support.Records.Tls13Alert()));

        Assert.Equal(2, WireAnalysis.CountAlertSizedRecordsAfter(log, 0, TlsProtocols.Tls13));
        Assert.Equal(1, WireAnalysis.CountAlertSizedRecordsAfter(log, 1, TlsProtocols.Tls13));
        Assert.Equal(1, WireAnalysis.CountDataRecordsAfter(log, 0, TlsProtocols.Tls13));
    }
}
